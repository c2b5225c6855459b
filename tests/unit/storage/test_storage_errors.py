"""Storage errors: one translated line each; "damaged, use a backup" only for real damage;
nothing half-made left behind."""

from __future__ import annotations

import sqlite3
import subprocess
from pathlib import Path

import pytest
from sqlalchemy import event
from sqlalchemy.exc import IntegrityError, OperationalError

from workbench.domain.parsed import ParsedTranscript, ParsedTurn
from workbench.i18n import UserError
from workbench.services import Workbench
from workbench.storage import database
from workbench.storage.errors import translate
from workbench.storage.models import Code

from tests.conftest import sample_parsed
from tests.unit.storage.test_changelog import dump
from tests.unit.storage.test_concurrency import long_transcript

DAMAGE = ("skadet", "sikkerhetskopi")


def _mount_tiny_disk(folder: Path, size: str) -> bool:
    folder.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(folder)],
                          capture_output=True)
    return done.returncode == 0


def _full_after(engine_factory, pages: int):  # type: ignore[no-untyped-def]
    """An engine factory whose databases cannot grow past ``pages`` pages: SQLite then
    answers "database or disk is full", as on a full disk."""
    def make(path: Path, *, readonly: bool):  # type: ignore[no-untyped-def]
        engine = engine_factory(path, readonly=readonly)
        event.listen(engine, "connect",
                     lambda conn, _rec: conn.execute(f"PRAGMA max_page_count = {pages}"))
        return engine
    return make


def test_new_on_a_full_disk_leaves_nothing_behind(tmp_path: Path, monkeypatch):
    disk = tmp_path / "disk"
    mounted = _mount_tiny_disk(disk, "64k")  # root: a real, tiny file system
    if not mounted:  # elsewhere: SQLite's own page limit gives the same error
        monkeypatch.setattr(database, "_sqlite_engine", _full_after(database._sqlite_engine, 8))
    try:
        target = disk / "studie.wbp"
        for _ in range(2):  # and the second try is not told the file "already exists"
            with pytest.raises(UserError) as err:
                Workbench.create(target)
            assert err.value.key == "storage.error.create_disk_full"
            assert not any(word in err.value.message() for word in DAMAGE)
            assert list(disk.iterdir()) == []
    finally:
        if mounted:
            subprocess.run(["umount", str(disk)], check=True)


def test_a_full_disk_during_import_is_one_clear_line_and_changes_nothing(tmp_path: Path, monkeypatch):
    path = tmp_path / "studie.wbp"
    with Workbench.create(path) as wb:
        wb.codes.create("håp")
        before = dump(wb)
    pages = path.stat().st_size // 4096 + 3  # room for a little, not for a transcript
    monkeypatch.setattr(database, "_sqlite_engine", _full_after(database._sqlite_engine, pages))
    with Workbench.open(path) as wb:
        with pytest.raises(UserError) as err:
            wb.transcripts.add_parsed(long_transcript(), name="fg1")
        assert err.value.key == "project.error.disk_full"
        assert "OperationalError" not in err.value.message()
        assert dump(wb) == before and [h.name for h in wb.history()] == ["code.create"]
    monkeypatch.undo()
    with Workbench.open(path) as wb:  # the project is fine once there is room again
        wb.transcripts.add_parsed(sample_parsed(), name="fg1")
        assert wb.info().transcripts[0].turns == 6


def test_a_constraint_refusal_is_not_called_damage(tmp_path: Path):
    with Workbench.create(tmp_path / "studie.wbp") as wb:
        wb.codes.create("håp")
        with pytest.raises(UserError) as err:
            with wb.store.command("code.create", name="håp") as s:
                s.add(Code(name="håp", name_key="håp"))  # the unique name, behind the service
        assert err.value.key == "storage.error.integrity"
        assert not any(word in err.value.message() for word in DAMAGE)
        assert [c.name for c in wb.codes.list()] == ["håp"]


@pytest.mark.parametrize("driver_message, key", [
    ("database or disk is full", "project.error.disk_full"),
    ("database is locked", "project.error.locked"),
    ("attempt to write a readonly database", "project.error.readonly"),
    ("unable to open database file", "storage.error.cannot_open"),
    ("disk I/O error", "storage.error.io"),
    ("database disk image is malformed", "project.error.corrupt"),
    ("file is not a database", "project.error.corrupt"),
    ("no such table: code", "storage.error.database"),
])
def test_sqlite_errors_map_to_their_messages(driver_message: str, key: str):
    for exc in (sqlite3.OperationalError(driver_message),
                OperationalError("SELECT 1", {}, sqlite3.OperationalError(driver_message))):
        error = translate(exc, "studie.wbp")
        assert error.key == key
        message = error.message()
        assert "studie.wbp" in message
        damaged = any(word in message for word in DAMAGE)
        assert damaged == (key == "project.error.corrupt"), message


def test_integrity_errors_are_never_damage():
    exc = IntegrityError("INSERT", {}, sqlite3.IntegrityError("FOREIGN KEY constraint failed"))
    error = translate(exc, "studie.wbp")
    assert error.key == "storage.error.integrity"
    assert not any(word in error.message() for word in DAMAGE)


def test_a_raw_driver_error_is_translated_too(tmp_path: Path, monkeypatch):
    """A driver exception that escapes SQLAlchemy's wrapping still reads as one line."""
    with Workbench.create(tmp_path / "studie.wbp") as wb:
        def broken(*_a, **_k):  # type: ignore[no-untyped-def]
            raise sqlite3.OperationalError("database or disk is full")

        with pytest.raises(UserError) as err:
            with wb.store.command("code.create", name="x") as s:
                monkeypatch.setattr(s, "flush", broken)
                s.add(Code(name="x", name_key="x"))
        assert err.value.key == "project.error.disk_full"


def many_words() -> ParsedTranscript:
    """A transcript whose index needs pages of its own: thousands of different words (the
    compact index of an ordinary short transcript fits in the pages the tables have)."""
    import random

    rng = random.Random(5)
    words = ["".join(rng.choice("abdefghiklmnoprstuvy") for _ in range(9)) for _ in range(4000)]
    turns = [ParsedTurn("Kari", " ".join(words[i:i + 40]) + ".", None, None)
             for i in range(0, len(words), 40)]
    return ParsedTranscript(source_format="txt", turns=turns)


def test_a_full_disk_while_writing_the_search_index_is_translated(tmp_path: Path, monkeypatch):
    """The index is written inside the import's unit of work; a full disk there reads
    like any other full disk (it used to come out as "Uventet feil: OperationalError")."""
    import workbench.services.transcripts as transcripts

    original = transcripts.write_index
    failed_inside: list[BaseException] = []

    def on_a_full_disk(session, transcript_id, text):  # type: ignore[no-untyped-def]
        conn = session.connection()
        pages = conn.exec_driver_sql("PRAGMA page_count").scalar()
        conn.exec_driver_sql(f"PRAGMA max_page_count = {pages}")  # no room to grow
        try:
            return original(session, transcript_id, text)
        except BaseException as exc:
            failed_inside.append(exc)
            raise

    with Workbench.create(tmp_path / "studie.wbp") as wb:
        before = dump(wb)
        monkeypatch.setattr(transcripts, "write_index", on_a_full_disk)
        with pytest.raises(UserError) as err:
            wb.transcripts.add_parsed(many_words(), name="fg1")
        assert failed_inside, "the disk filled up before the index was written"
        assert err.value.key == "project.error.disk_full"
        assert dump(wb) == before
