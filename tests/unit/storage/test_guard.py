"""The write guard: a unit of work writes only what its command declared, for every role."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from sqlalchemy import delete, insert, select, text, update

from workbench.i18n import UserError
from workbench.services import Workbench
from workbench.storage import commands
from workbench.storage.changelog import bulk_insert
from workbench.storage.models import RECORDED_TABLES, Base, Code, JournalEntry, Posting, Theme

from tests.conftest import sample_parsed
from tests.unit.storage.test_changelog import dump

ROOT = Path(__file__).resolve().parents[3] / "workbench"


def test_every_command_in_the_code_is_declared_with_real_tables():
    used: set[str] = set()
    for path in ROOT.rglob("*.py"):
        used |= set(re.findall(r'\.command\(\s*"([a-z_]+\.[a-z_]+)"', path.read_text("utf-8")))
    assert len(used) > 45
    assert used <= set(commands.COMMANDS), used - set(commands.COMMANDS)
    tables = set(Base.metadata.tables)
    for name, written in commands.COMMANDS.items():
        assert written and written <= tables, name
        assert not written & commands.INTERNAL_TABLES, name
    for role, names in commands.ROLE_COMMANDS.items():
        assert names <= set(commands.COMMANDS), role
    assert commands.ROLE_COMMANDS["supervisor"] == {
        "comment.add", "comment.reply", "comment.resolve", "snapshot.create",
    }


@pytest.fixture
def project(project_target):
    with Workbench.create(project_target, actor="forsker") as wb:
        tr = wb.transcripts.add_parsed(sample_parsed(), name="fg1")
        code = wb.codes.create("håp")
        wb.journal.add("notat")
        yield wb, tr, code


def refused(wb: Workbench, key: str, body) -> UserError:  # type: ignore[no-untyped-def]
    before = dump(wb), len(wb.history())
    with pytest.raises(UserError) as err:
        body()
    assert err.value.key == key, err.value.message()
    assert (dump(wb), len(wb.history())) == before
    return err.value


def test_orm_write_outside_the_declaration_is_refused(project):
    wb, _tr, code = project

    def body() -> None:
        with wb.store.command("comment.add") as s:
            s.get(Code, code.id).name = "x"

    err = refused(wb, "storage.error.undeclared_table", body)
    assert "comment.add" in err.message() and "code" in err.message()


def test_session_core_dml_is_refused(project):
    wb, _tr, code = project

    def undeclared() -> None:
        with wb.store.command("comment.add") as s:
            s.execute(update(Code).where(Code.id == code.id).values(name="x"))

    def unrecorded() -> None:  # declared table, but behind the change log's back
        with wb.store.command("code.rename", id=code.id, name="x") as s:
            s.execute(update(Code).where(Code.id == code.id).values(name="x"))

    def connection_level() -> None:
        with wb.store.command("code.delete", id=code.id) as s:
            s.connection().execute(delete(Code.__table__).where(Code.__table__.c.id == code.id))

    def raw_sql() -> None:
        with wb.store.command("comment.add") as s:
            s.connection().exec_driver_sql("UPDATE code SET name = 'x'")

    def ddl() -> None:
        with wb.store.command("comment.add") as s:
            s.execute(text("DROP TABLE journal_entry"))

    refused(wb, "storage.error.undeclared_table", undeclared)
    refused(wb, "storage.error.unrecorded", unrecorded)
    refused(wb, "storage.error.unrecorded", connection_level)
    refused(wb, "storage.error.undeclared_table", raw_sql)
    refused(wb, "storage.error.statement", ddl)
    assert [c.name for c in wb.codes.list()] == ["håp"]


def test_bulk_insert_outside_the_declaration_is_refused(project):
    wb, _tr, _code = project

    def body() -> None:
        with wb.store.command("comment.add") as s:
            bulk_insert(s, JournalEntry, [{"phase": 1, "text": "smuglet", "author": "x"}])

    refused(wb, "storage.error.undeclared_table", body)


def test_a_service_cannot_swallow_the_refusal(project):
    wb, _tr, code = project

    def body() -> None:
        with wb.store.command("comment.add") as s:
            try:
                s.get(Code, code.id).name = "x"
                s.flush()
            except UserError:
                pass  # carries on as if nothing happened

    refused(wb, "storage.error.undeclared_table", body)


def test_an_undeclared_command_name_is_refused(project):
    wb, _tr, _code = project

    def body() -> None:
        with wb.store.command("code.sneak") as s:
            s.add(Code(name="x", name_key="x"))

    err = refused(wb, "storage.error.unknown_command", body)
    assert "code.sneak" in err.message()


def test_derived_writes_only_the_search_tables(project):
    wb, tr, _code = project

    def body() -> None:
        with wb.store.derived() as s:
            s.add(Theme(name="smuglet"))

    refused(wb, "storage.error.derived_only", body)
    with wb.store.derived() as s:  # the index itself is fine
        s.execute(delete(Posting).where(Posting.transcript_id == tr.id))
    with wb.store.read() as s:
        assert s.scalar(select(Posting.term_id).where(Posting.transcript_id == tr.id)) is None


def test_connection_level_insert_into_an_undeclared_table_is_refused(project):
    wb, _tr, _code = project
    # every recorded table has commands that may write it, and none may write them all
    assert {t for names in commands.COMMANDS.values() for t in names} >= RECORDED_TABLES
    assert all(names != RECORDED_TABLES for names in commands.COMMANDS.values())

    def body() -> None:
        with wb.store.command("note.add") as s:
            s.connection().execute(insert(Code.__table__).values(name="x", name_key="x", guid="g"))

    refused(wb, "storage.error.undeclared_table", body)


def test_replay_is_held_to_the_declaration_too(project):
    """A logged command whose changes touch a table outside its declaration (a forged or
    damaged log) is not replayed."""
    wb, _tr, code = project
    wb.codes.rename(code.id, "nytt navn")
    with wb.store.engine.begin() as conn:  # forge: claim the rename was a journal edit
        conn.execute(text("UPDATE command SET name = 'journal.edit' WHERE seq = "
                          "(SELECT max(seq) FROM command)"))
    with pytest.raises(UserError) as err:
        wb.undo()
    assert err.value.key == "storage.error.undeclared_table"
    assert [c.name for c in wb.codes.list()] == ["nytt navn"]
