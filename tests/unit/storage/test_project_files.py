"""Opening project files: bad input gives one clear message and never touches the file."""

from __future__ import annotations

import hashlib
import sqlite3
import threading
from pathlib import Path

import pytest

from workbench.i18n import UserError
from workbench.services import Workbench
from workbench.storage import migrations


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_create_makes_one_sqlite_file_with_wal_and_foreign_keys(tmp_path: Path):
    path = tmp_path / "any name.prosjekt"
    with Workbench.create(path, title="Min studie") as wb:
        info = wb.info()
        with wb.store.engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
            assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
    assert info.title == "Min studie" and info.phase == 1
    assert info.schema_version == migrations.SCHEMA_VERSION
    assert path.read_bytes()[:16] == b"SQLite format 3\x00"


def test_create_refuses_existing_file_and_missing_folder(tmp_path: Path):
    existing = tmp_path / "a.wbp"
    existing.write_text("keep me")
    with pytest.raises(UserError) as err:
        Workbench.create(existing)
    assert err.value.key == "project.error.exists"
    assert existing.read_text() == "keep me"
    with pytest.raises(UserError) as err:
        Workbench.create(tmp_path / "no" / "such" / "x.wbp")
    assert err.value.key == "project.error.no_folder"


@pytest.mark.parametrize(
    "make, key",
    [
        (lambda p: None, "project.error.missing"),
        (lambda p: p.mkdir(), "project.error.is_dir"),
        (lambda p: p.write_text("Moderator: hei\n", encoding="utf-8"), "project.error.not_sqlite"),
        (lambda p: p.write_bytes(b""), "project.error.not_sqlite"),
        (lambda p: p.write_bytes(b"SQLite format 3\x00" + b"\xff" * 3000), "project.error.corrupt"),
    ],
    ids=["missing", "folder", "text", "empty", "corrupt"],
)
def test_bad_files_are_refused_clearly(tmp_path: Path, make, key):
    path = tmp_path / "studie.wbp"
    make(path)
    before = digest(path) if path.is_file() else None
    with pytest.raises(UserError) as err:
        Workbench.open(path)
    assert err.value.key == key
    assert str(path) in err.value.message() or key == "project.error.corrupt"
    if before is not None:
        assert digest(path) == before
    assert not Path(f"{path}-wal").exists()


def test_foreign_sqlite_database_is_not_a_project(tmp_path: Path):
    path = tmp_path / "other.db"
    con = sqlite3.connect(path)
    con.execute("CREATE TABLE t (x)")
    con.commit()
    con.close()
    before = digest(path)
    with pytest.raises(UserError) as err:
        Workbench.open(path)
    assert err.value.key == "project.error.not_project"
    assert digest(path) == before


def test_newer_schema_is_refused(tmp_path: Path):
    path = tmp_path / "new.wbp"
    Workbench.create(path).close()
    con = sqlite3.connect(path)
    con.execute("UPDATE workbench_meta SET value = '999' WHERE key = 'schema_version'")
    con.commit()
    con.close()
    with pytest.raises(UserError) as err:
        Workbench.open(path)
    assert err.value.key == "project.error.too_new"


def test_locked_file_gives_a_message_not_a_hang(tmp_path: Path):
    path = tmp_path / "locked.wbp"
    with Workbench.create(path) as wb:
        wb.codes.create("første")
    holder = sqlite3.connect(path, timeout=0)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        result: dict = {}

        def attempt() -> None:
            try:
                with Workbench.open(path) as other:
                    other.codes.create("andre")
            except UserError as exc:
                result["key"] = exc.key

        thread = threading.Thread(target=attempt)
        thread.start()
        thread.join(timeout=20)
        assert not thread.is_alive(), "opening a locked project hung"
        assert result.get("key") == "project.error.locked"
    finally:
        holder.rollback()
        holder.close()
    with Workbench.open(path) as wb:
        assert [c.name for c in wb.codes.list()] == ["første"]


def test_read_only_file_opens_read_only_and_refuses_changes(tmp_path: Path):
    path = tmp_path / "ro.wbp"
    with Workbench.create(path) as wb:
        wb.codes.create("kode")
    # Checkpoint the WAL so the read-only open sees everything without writing.
    con = sqlite3.connect(path)
    con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    con.execute("PRAGMA journal_mode=DELETE")
    con.close()
    path.chmod(0o444)
    try:
        with Workbench.open(path, readonly=True) as wb:
            assert wb.readonly
            assert [c.name for c in wb.codes.list()] == ["kode"]
            with pytest.raises(UserError) as err:
                wb.codes.create("ny")
            assert err.value.key == "project.error.readonly_action"
            with pytest.raises(UserError):
                wb.undo()
    finally:
        path.chmod(0o644)


def test_storage_takes_an_sqlalchemy_url(tmp_path: Path):
    url = f"sqlite:///{tmp_path / 'via-url.db'}"
    with Workbench.create(url, title="URL") as wb:
        wb.codes.create("kode")
    with Workbench.open(url) as wb:
        assert wb.info().codes == 1
