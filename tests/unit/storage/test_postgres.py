"""PostgreSQL as a real backend: the same services, a project per database (or schema),
and a clear message for each way connecting can fail."""

from __future__ import annotations

import socket
import sys
from pathlib import Path

import pytest
from sqlalchemy import create_engine, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.pool import NullPool

from workbench.domain.codebook import CodebookSpec, CodeSpec, ThemeSpec
from workbench.i18n import UserError
from workbench.services import Workbench
from workbench.storage.models import Code

from tests.conftest import sample_parsed
from tests.unit.storage.conftest import PgSchemas
from tests.unit.storage.test_changelog import dump

DAMAGE = ("skadet", "sikkerhetskopi")


def message_of(call) -> UserError:  # type: ignore[no-untyped-def]
    with pytest.raises(UserError) as err:
        call()
    text_ = err.value.message()
    assert not any(word in text_ for word in DAMAGE), text_
    return err.value


def test_nested_codes_sub_themes_and_imports_work(project_target, tmp_path: Path):
    """``parent_id.is_(5)`` is ``parent_id IS 5``: PostgreSQL refuses it."""
    with Workbench.create(project_target, actor="forsker") as wb:
        tr = wb.transcripts.add_parsed(sample_parsed(), name="fg1")
        top = wb.codes.create("relasjon")
        sub = wb.codes.create("tid til relasjon", parent_id=top.id)
        wb.codes.create("kontinuitet", parent_id=top.id)
        other = wb.codes.create("håp")
        wb.codes.move(other.id, top.id)
        theme = wb.themes.create("Tid")
        child = wb.themes.create("Kveldene", parent_id=theme.id)
        wb.themes.create("Helgene", parent_id=theme.id)
        wb.themes.move(child.id, None)
        wb.themes.to_misc(sub.id)
        result = wb.codebooks.import_spec(CodebookSpec(
            name="CHIME",
            codes=[CodeSpec(name="Tilknytning", children=[CodeSpec(name="Støtte fra andre")])],
            themes=[ThemeSpec(name="Recovery", codes=["Tilknytning"],
                              subthemes=[ThemeSpec(name="Håp og optimisme")])],
        ))
        assert result is not None
        wb.codes.apply(tr.id, 0, 10, code_id=sub.id)
        tree = {c.name: c.parent_id for c in wb.codes.list()}
        assert tree["tid til relasjon"] == top.id and tree["Støtte fra andre"] is not None
        with wb.store.read() as s:
            positions = sorted(s.execute(select(Code.position).where(Code.parent_id == top.id)).scalars())
        assert positions == [0, 1, 2]
        archive = wb.exchange.export_qdpx(tmp_path / "studie.qdpx")
    other_target = (str(tmp_path / "kopi.wbp") if "://" not in project_target
                    else None)
    if other_target is None:  # a second schema on the same server
        base = make_url(project_target)
        schemas = PgSchemas(base.set(query={}).render_as_string(hide_password=False))
        try:
            other_target = schemas.new()
            _import_into(other_target, archive)
        finally:
            schemas.drop_all()
    else:
        _import_into(other_target, archive)


def _import_into(target: str, archive: Path) -> None:
    with Workbench.create(target, actor="forsker") as copy:
        copy.exchange.import_qdpx(archive)
        names = {c.name for c in copy.codes.list()}
        assert {"relasjon", "tid til relasjon", "Støtte fra andre"} <= names
        themes = [t.name for t in copy.themes.tree()]
        assert "Tid" in themes and "Recovery" in themes


def test_new_refuses_a_database_that_holds_a_project(pg_url):
    with Workbench.create(pg_url, title="Den første", actor="forsker") as wb:
        wb.codes.create("håp")
        before = dump(wb)
    err = message_of(lambda: Workbench.create(pg_url, title="Den andre"))
    assert err.key == "project.error.exists"
    assert "workbench-test-pw" not in err.message()  # the password is never shown
    with Workbench.open(pg_url) as wb:
        assert wb.info().title == "Den første" and dump(wb) == before
        with wb.store.read() as s:
            assert s.execute(text("SELECT count(*) FROM project")).scalar() == 1


def test_new_refuses_a_database_with_other_tables_and_open_says_what_it_is(pg_url):
    engine = create_engine(pg_url, poolclass=NullPool)
    with engine.begin() as conn:
        conn.exec_driver_sql("CREATE TABLE kunder (id integer)")
    engine.dispose()
    assert message_of(lambda: Workbench.create(pg_url)).key == "storage.error.not_empty"
    assert message_of(lambda: Workbench.open(pg_url)).key == "storage.error.not_project_db"


def test_an_empty_database_is_not_a_project_yet(pg_url):
    err = message_of(lambda: Workbench.open(pg_url))
    assert err.key == "storage.error.empty_database"
    assert f"workbench new {make_url(pg_url).render_as_string(hide_password=True)}" in err.message()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_connection_errors_each_have_their_own_message(pg_url):
    url = make_url(pg_url)
    cases = {
        "storage.error.no_server": url.set(port=_free_port()),
        "storage.error.auth": url.set(password="feil-passord"),
        "storage.error.no_database": url.set(database="finnes_ikke"),
    }
    for key, bad in cases.items():
        target = bad.render_as_string(hide_password=False)
        for call in (lambda: Workbench.open(target), lambda: Workbench.create(target)):
            err = message_of(call)
            assert err.key == key, err.message()
            assert "feil-passord" not in err.message()
    err = message_of(lambda: Workbench.open(cases["storage.error.no_database"].render_as_string(
        hide_password=False)))
    assert "finnes_ikke" in err.message()


def test_a_missing_driver_says_how_to_install_it(pg_url, monkeypatch):
    for name in [m for m in sys.modules if m == "psycopg" or m.startswith("psycopg.")]:
        monkeypatch.delitem(sys.modules, name)
    monkeypatch.setitem(sys.modules, "psycopg", None)  # import psycopg now fails
    for call in (lambda: Workbench.open(pg_url), lambda: Workbench.create(pg_url)):
        err = message_of(call)
        assert err.key == "storage.error.no_driver"
        assert "workbench[postgres]" in err.message()


def test_a_lost_connection_is_not_damage(pg_url):
    with Workbench.create(pg_url, actor="forsker") as wb:
        admin = create_engine(pg_url, poolclass=NullPool, isolation_level="AUTOCOMMIT")

        def cut_off() -> None:
            with wb.store.command("code.create", name="x") as s:
                pid = s.execute(text("SELECT pg_backend_pid()")).scalar()
                with admin.connect() as conn:
                    conn.execute(text("SELECT pg_terminate_backend(:p)"), {"p": pid})
                s.add(Code(name="x", name_key="x"))

        err = message_of(cut_off)
        admin.dispose()
        assert err.key == "storage.error.connection_lost"
        assert wb.codes.list() == []  # the pool reconnects for the next unit of work
        wb.codes.create("etterpå")
        assert [c.name for c in wb.codes.list()] == ["etterpå"]


def test_a_supervisor_can_be_kept_to_comments_by_database_privileges_too(pg_url):
    """The README's advice for teams on PostgreSQL: give a supervisor a database role that
    may only write comments, snapshots and the log. The program works for them as usual,
    and a write that goes around the program is refused by the server, in one clear line."""
    from workbench.storage.errors import translate

    with Workbench.create(pg_url, actor="forsker") as wb:
        code = wb.codes.create("håp")
        wb.members.add("veileder", role="supervisor")
    url = make_url(pg_url)
    schema = url.query["options"].split("=", 1)[1]
    role = f"{schema}_veileder"
    admin = create_engine(pg_url, poolclass=NullPool, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.exec_driver_sql(f"CREATE ROLE {role} LOGIN PASSWORD 'veileder-pw'")
        conn.exec_driver_sql(f"GRANT USAGE ON SCHEMA {schema} TO {role}")
        conn.exec_driver_sql(f"GRANT SELECT ON ALL TABLES IN SCHEMA {schema} TO {role}")
        conn.exec_driver_sql(
            f"GRANT INSERT, UPDATE, DELETE ON review_comment, snapshot TO {role}")
        conn.exec_driver_sql(f"GRANT INSERT, UPDATE ON command TO {role}")
        conn.exec_driver_sql(f"GRANT USAGE ON ALL SEQUENCES IN SCHEMA {schema} TO {role}")
    supervisor_url = url.set(username=role, password="veileder-pw").render_as_string(
        hide_password=False)
    try:
        with Workbench.open(supervisor_url, actor="veileder") as wb:
            wb.review.comment("code", code.id, "Hva betyr håp her?")
            wb.snapshots.create("kopi")
            assert wb.undo().name == "snapshot.create"
            assert wb.redo().name == "snapshot.create"
            assert message_of(lambda: wb.codes.rename(code.id, "x")).key == "review.error.read_only"
            raw = create_engine(supervisor_url, poolclass=NullPool)
            with pytest.raises(Exception) as caught:
                with raw.begin() as conn:
                    conn.execute(text("UPDATE code SET name = 'x'"))
            raw.dispose()
            err = translate(caught.value, wb.store.label)
            assert err.key == "storage.error.permission" and "code" in err.message()
        with Workbench.open(pg_url, actor="forsker") as wb:
            assert [c.name for c in wb.codes.list()] == ["håp"]
            assert len(wb.review.comments()) == 1
    finally:
        with admin.connect() as conn:
            conn.exec_driver_sql(f"REVOKE ALL ON ALL TABLES IN SCHEMA {schema} FROM {role}")
            conn.exec_driver_sql(f"REVOKE ALL ON ALL SEQUENCES IN SCHEMA {schema} FROM {role}")
            conn.exec_driver_sql(f"REVOKE ALL ON SCHEMA {schema} FROM {role}")
            conn.exec_driver_sql(f"DROP ROLE {role}")
        admin.dispose()
