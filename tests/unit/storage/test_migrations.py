"""Schema 2 → 3 (members, the applied clock): an old project upgrades with a backup, keeps
its log, and never hands out a key that an undone command used."""

from __future__ import annotations

import json
import shutil
import sqlite3
import zlib
from pathlib import Path

from sqlalchemy import create_engine, inspect, text
from sqlalchemy.pool import NullPool

from workbench.services import Workbench
from workbench.services.search import SearchFilter
from workbench.storage import migrations
from workbench.storage.models import decode_changes

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"


def test_schema_2_file_is_upgraded_with_a_backup(tmp_path: Path):
    path = tmp_path / "old.wbp"
    shutil.copy(FIXTURES / "schema_v2.wbp", path)
    with Workbench.open(path, actor="forsker") as wb:
        info = wb.info()
        assert info.schema_version == migrations.SCHEMA_VERSION == 6
        assert info.title == "Studie laget med skjema 2"
        assert (info.codes, info.codings, info.themes, info.open_comments) == (2, 2, 1, 1)
        assert wb.members.list() == []  # no members yet: everyone may work, as before
        history = wb.history()
        assert [h.state for h in history][:2] == ["undone", "done"]
        # A new code does not take the key of the undone one ...
        new = wb.codes.create("ny")
        assert new.id == 4
        # ... and, being the researcher's own new command, abandons their redo.
        assert wb.redo() is None
        assert [h.state for h in wb.history() if h.args.get("name") == "forkastet"] == ["abandoned"]
    with Workbench.open(path, actor="veileder") as wb:
        assert wb.undo().name == "comment.add"
        assert wb.info().open_comments == 0
    backups = list(tmp_path.glob("old.wbp.schema2.bak*"))
    assert len(backups) == 1
    con = sqlite3.connect(backups[0])
    assert con.execute("SELECT value FROM workbench_meta WHERE key = 'schema_version'").fetchone() == ("2",)
    con.close()


def test_upgraded_schema_2_redoes_the_undone_command_with_its_own_key(tmp_path: Path):
    path = tmp_path / "old.wbp"
    shutil.copy(FIXTURES / "schema_v2.wbp", path)
    with Workbench.open(path, actor="veileder") as wb:
        wb.review.comment("project", None, "Nok et spørsmål")  # not a conflict for forsker
    with Workbench.open(path, actor="forsker") as wb:
        assert wb.redo().args == {"name": "forkastet"}
        assert {c.name: c.id for c in wb.codes.list()}["forkastet"] == 3
        assert wb.codes.create("ny").id == 4


def _schema(engine) -> dict:  # type: ignore[no-untyped-def]
    with engine.connect() as conn:
        insp = inspect(conn)
        out = {}
        for table in sorted(insp.get_table_names()):
            cols = sorted((c["name"], str(c["type"]).upper(), c["nullable"]) for c in insp.get_columns(table))
            idx = sorted(i["name"] for i in insp.get_indexes(table))
            uniq = sorted(tuple(u["column_names"]) for u in insp.get_unique_constraints(table))
            out[table] = (cols, idx, uniq)
    return out


def _downgrade_6_to_5(conn) -> None:  # type: ignore[no-untyped-def]
    """The search index and the change log of schema 5 (and 2 to 5)."""
    for table in ("posting", "posting_term", "text_index"):
        conn.execute(text(f"DROP TABLE {table}"))
    conn.execute(text(
        "CREATE TABLE sentence (id INTEGER NOT NULL, transcript_id INTEGER NOT NULL,"
        " start INTEGER NOT NULL, \"end\" INTEGER NOT NULL, CONSTRAINT pk_sentence PRIMARY KEY (id),"
        " CONSTRAINT fk_sentence_transcript_id_transcript FOREIGN KEY(transcript_id)"
        "  REFERENCES transcript (id) ON DELETE CASCADE)"))
    conn.execute(text("CREATE INDEX ix_sentence_transcript_start ON sentence (transcript_id, start)"))
    conn.execute(text(
        "CREATE TABLE posting (id INTEGER NOT NULL, transcript_id INTEGER NOT NULL,"
        " field VARCHAR(1) NOT NULL, term VARCHAR(200) NOT NULL, count INTEGER NOT NULL,"
        " data BYTEA NOT NULL, CONSTRAINT pk_posting PRIMARY KEY (id),"
        " CONSTRAINT fk_posting_transcript_id_transcript FOREIGN KEY(transcript_id)"
        "  REFERENCES transcript (id) ON DELETE CASCADE)".replace(
            "BYTEA", "BLOB" if conn.dialect.name == "sqlite" else "BYTEA")))
    conn.execute(text("CREATE INDEX ix_posting_term ON posting (field, term)"))
    conn.execute(text("CREATE INDEX ix_posting_transcript ON posting (transcript_id)"))
    # the log as JSON text (these commands are small: stored uncompressed)
    if conn.dialect.name == "sqlite":
        conn.execute(text("UPDATE command SET changes = CAST(changes AS TEXT)"))
    else:
        conn.execute(text("ALTER TABLE command ALTER COLUMN changes TYPE JSON"
                          " USING convert_from(changes, 'UTF8')::json"))


def _downgrade_to_2(url: str) -> None:
    """Turn a new project back into schema 2, as the previous version made it."""
    engine = create_engine(url, poolclass=NullPool)
    with engine.begin() as conn:
        _downgrade_6_to_5(conn)
        conn.execute(text("DROP TABLE agreement_run"))  # schema 5
        conn.execute(text("DROP TABLE assignment"))
        conn.execute(text("ALTER TABLE project DROP COLUMN analysis_kind"))
        conn.execute(text("DROP TABLE withdrawal"))  # schema 4
        conn.execute(text(
            "CREATE TABLE replacement (id INTEGER NOT NULL, guid VARCHAR(36) NOT NULL,"
            " find VARCHAR(300) NOT NULL, \"replace\" VARCHAR(300) NOT NULL,"
            " whole_word BOOLEAN NOT NULL, created TIMESTAMP NOT NULL,"
            " CONSTRAINT pk_replacement PRIMARY KEY (id))"
        ))  # schema 2 held the name list inside the project (moved out on opening)
        conn.execute(text("DROP TABLE member"))
        conn.execute(text("DROP INDEX ix_command_applied"))
        conn.execute(text("DROP INDEX ix_command_actor_state"))
        conn.execute(text("ALTER TABLE command DROP COLUMN applied"))
        conn.execute(text("DELETE FROM workbench_meta WHERE key LIKE 'next_id.%'"))
        conn.execute(text("UPDATE workbench_meta SET value = '2' WHERE key = 'schema_version'"))
    engine.dispose()


def test_upgrade_from_2_gives_the_schema_of_a_new_project_on_both_backends(project_target, same_backend):
    make, url_of = same_backend
    with Workbench.create(project_target, actor="forsker") as wb:
        wb.codes.create("håp")
        wb.codes.create("tid")
        wb.undo()
    fresh = make()
    Workbench.create(fresh).close()
    _downgrade_to_2(url_of(project_target))
    with Workbench.open(project_target, actor="forsker") as wb:
        assert wb.info().schema_version == 6
        assert wb.redo().args == {"name": "tid"}
        assert [h.name for h in wb.history()] == ["code.create", "code.create"]
    a = create_engine(url_of(project_target), poolclass=NullPool)
    b = create_engine(url_of(fresh), poolclass=NullPool)
    try:
        assert _schema(a) == _schema(b)
    finally:
        a.dispose()
        b.dispose()


def test_schema_4_file_gets_team_tables_and_a_reflexive_kind(tmp_path: Path):
    path = tmp_path / "old.wbp"
    shutil.copy(FIXTURES / "schema_v4.wbp", path)
    with Workbench.open(path, actor="forsker") as wb:
        assert wb.info().schema_version == 6
        assert [c.name for c in wb.codes.list()] == ["håp"]
    con = sqlite3.connect(path)
    try:
        assert con.execute("SELECT analysis_kind FROM project").fetchall() == [("reflexive",)]
        assert con.execute("SELECT count(*) FROM assignment").fetchone() == (0,)
        assert con.execute("SELECT count(*) FROM agreement_run").fetchone() == (0,)
    finally:
        con.close()
    assert len(list(tmp_path.glob("old.wbp.schema4.bak*"))) == 1


def test_schema_5_file_gets_the_compact_index_and_a_compressed_log(tmp_path: Path):
    """Schema 5 → 6: the old index tables go, the new ones are filled on opening, and
    the change log is rewritten as compact (and, for the import, compressed) JSON that
    undo, redo and the history still read."""
    path = tmp_path / "old.wbp"
    shutil.copy(FIXTURES / "schema_v5.wbp", path)
    con = sqlite3.connect(path)
    old_log = [(seq, json.loads(changes)) for seq, changes in
               con.execute("SELECT seq, changes FROM command ORDER BY seq")]
    con.close()
    with Workbench.open(path, actor="forsker") as wb:
        info = wb.info()
        assert info.schema_version == 6 and info.title == "Studie laget med skjema 5"
        assert (info.codes, info.codings) == (2, 2)
        hits = wb.search.search('"for lite tid"')
        assert [h.match for h in hits] == ["for lite tid"]
        assert hits[0].speaker == "Kari" and hits[0].left.endswith("(latter) Vi har ")
        every = wb.search.search("bruker", SearchFilter(all_roles=True))
        assert [h.match for h in every] == ["brukerne", "Brukeren", "brukerne", "bruker", "brukerne"]
        assert [h.speaker for h in every] == ["Moderator", "Kari", "Kari", "Per", "Kari"]
        assert [h.state for h in wb.history()] == ["undone", "done", "done", "done"]
        assert wb.redo().args == {"name": "forkastet"}
        assert wb.codes.create("ny").id == 4  # no key of the log is handed out again
    con = sqlite3.connect(path)
    try:
        assert [r[0] for r in con.execute(
            "SELECT name FROM sqlite_master WHERE name IN ('sentence', 'posting', 'command_v5')")] == ["posting"]
        stored = dict(con.execute("SELECT seq, changes FROM command"))
        assert all(isinstance(v, bytes) for v in stored.values())
        assert stored[1][:1] == b"\x78"  # the import: compressed ...
        assert "æ".encode() in zlib.decompress(stored[1])  # ... and not \u00e6-escaped
        assert [(seq, decode_changes(stored[seq])) for seq, _ in old_log] == old_log
        assert con.execute("SELECT count(*) FROM text_index").fetchone() == (1,)
        assert con.execute("PRAGMA freelist_count").fetchone() == (0,)  # vacuumed
    finally:
        con.close()
    with Workbench.open(path, actor="forsker") as wb:  # undo the import itself
        wb.undo()  # ny
        wb.undo()  # forkastet
        wb.undo()
        wb.undo()
        assert wb.undo().name == "transcript.import"
        assert wb.info().transcripts == [] and wb.search.search("bruker") == []
        assert wb.redo().name == "transcript.import"
        again = wb.search.search("bruker", SearchFilter(all_roles=True))
        assert [(h.start, h.end, h.speaker, h.match) for h in again] == [
            (h.start, h.end, h.speaker, h.match) for h in every]
    assert len(list(tmp_path.glob("old.wbp.schema5.bak*"))) == 1
