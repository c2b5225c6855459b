"""Many people on one project, as real processes, on SQLite and on PostgreSQL.

N workers (2 and 5) code, autocode, undo and redo at random against one project for a
bounded time (``WORKBENCH_TEST_SOAK`` seconds, 6 by default; 30 for a soak run). Afterwards:

* every worker's undo and redo followed its own stack exactly: an undo took back its
  latest done command, a redo its most recently undone one; no command was undone twice;
* the final states in the log agree with what each worker saw (its redo stack was
  abandoned when it made a new command, or where another's command conflicted);
* replaying every done command, in the order it was applied, into a fresh project gives
  exactly the rows present, and undoing all of them empties the project;
* no worker crashed, none was told the project is damaged or that a constraint failed.

And numbering with ``max() + 1`` (positions) is race-free: two workers creating codes and
themes in a loop never get the same position.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from workbench.domain.parsed import ParsedTranscript, ParsedTurn
from workbench.services import Workbench
from workbench.storage.changelog import replay
from workbench.storage.models import RECORDED_TABLES, Base, Code, Command, Theme

from tests.conftest import sample_parsed
from tests.themes_fixtures import staff_parsed

REPO = Path(__file__).resolve().parents[3]
SOAK = float(os.environ.get("WORKBENCH_TEST_SOAK") or 6)
ALLOWED = {
    "storage.undo.conflict", "storage.redo.conflict", "storage.undo.depends",
    "storage.redo.depends", "coding.error.duplicate", "search.error.no_hits",
}


def long_transcript() -> ParsedTranscript:
    base = sample_parsed().turns[1:] + staff_parsed().turns
    turns = [ParsedTurn(t.speaker, t.text, None, None) for _ in range(12) for t in base]
    return ParsedTranscript(source_format="txt", turns=turns)


def run_workers(mode: str, target: str, n: int, amount: float, tmp: Path,
                actors: list[str] | None = None) -> list[tuple[str, list[dict]]]:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(REPO), os.environ.get("PYTHONPATH", "")])}
    go = tmp / "go"
    procs = []
    for i in range(n):
        actor = actors[i] if actors else f"person{i}"
        files = [tmp / f"{i}.jsonl", tmp / f"{i}.ready"]
        proc = subprocess.Popen(
            [sys.executable, "-m", "tests.unit.storage.driver", mode, target, actor,
             str(amount), str(1000 + i), str(files[0]), str(files[1]), str(go)],
            cwd=REPO, env=env, stderr=subprocess.PIPE, text=True,
        )
        procs.append((actor, proc, files))
    deadline = time.time() + 120
    while not all(f[1].exists() for _a, _p, f in procs):
        assert time.time() < deadline, "workers did not start"
        assert all(p.poll() is None for _a, p, _f in procs), [p.stderr.read() for _a, p, _f in procs if p.poll() is not None]
        time.sleep(0.02)
    go.touch()
    logs = []
    for actor, proc, files in procs:
        _out, err = proc.communicate(timeout=amount + 180)
        assert proc.returncode == 0, err
        logs.append((actor, [json.loads(line) for line in files[0].read_text("utf-8").splitlines()]))
    return logs


def rows(engine: Engine) -> dict[str, list[tuple]]:
    out: dict[str, list[tuple]] = {}
    with Session(engine) as s:
        for table in Base.metadata.sorted_tables:
            if table.name in RECORDED_TABLES and table.name != "project":
                out[table.name] = [tuple(r) for r in s.execute(select(table).order_by(table.c.id))]
    return out


def check_stacks(logs: list[tuple[str, list[dict]]], final: dict[int, tuple[str, str]]) -> Counter:
    """Replay each worker's own view of its stack against the final log states."""
    seen: Counter = Counter()
    for actor, events in logs:
        done: list[int] = []
        undone: list[int] = []  # in the order undone: the last one is redone first
        gone: set[int] = set()  # must have ended abandoned
        for e in events:
            op = e["op"]
            assert op != "crash", e
            if op == "error":
                seen[e["key"]] += 1
                assert e["key"] in ALLOWED, e
                continue
            seen[op] += 1
            seq = e.get("seq")
            if op == "do":
                assert seq is not None and seq not in done and seq not in undone, e
                assert final[seq][0] == actor
                gone |= set(undone)
                undone = []
                done.append(seq)
            elif op == "undo":
                if seq is None:
                    assert not done, (actor, e)
                else:
                    assert done and done[-1] == seq, (actor, e, done)  # my latest, once
                    undone.append(done.pop())
            elif op == "redo":
                if seq is None:
                    gone |= set(undone)  # everything on my redo stack was abandoned
                    undone = []
                else:
                    assert undone and undone[-1] == seq, (actor, e, undone)
                    done.append(undone.pop())
        for seq in done:
            assert final[seq] == (actor, "done"), (seq, final[seq])
        for seq in undone:
            assert final[seq][1] in ("undone", "abandoned"), (seq, final[seq])
        for seq in gone:
            assert final[seq][1] == "abandoned", (seq, final[seq])
    return seen


@pytest.mark.parametrize("n", [2, 5])
def test_workers_code_autocode_and_undo_at_random(project_target, backend, n, tmp_path, request):
    with Workbench.create(project_target, actor="setup") as wb:
        wb.transcripts.add_parsed(long_transcript(), name="fg1")
        wb.transcripts.add_parsed(staff_parsed(), name="fg2")
    logs = run_workers("random", project_target, n, SOAK, tmp_path)
    with Workbench.open(project_target, actor="setup") as wb:
        with wb.store.read() as s:
            commands = list(s.scalars(select(Command).order_by(Command.applied)))
            s.expunge_all()  # plain values from here on
        final = {c.seq: (c.actor, c.state) for c in commands}
        seen = check_stacks(logs, final)
        assert seen["do"] > n and seen["undo"] > 0, seen
        for actor in {c.actor for c in commands}:  # per-person stacks stay stacks
            mine = [c for c in commands if c.actor == actor]
            done = [c.seq for c in mine if c.state == "done"]
            undone = [c.seq for c in mine if c.state == "undone"]
            assert not done or not undone or max(done) < min(undone), actor
        applied = [c.applied for c in commands]
        assert len(set(applied)) == len(applied)  # one clock, no two steps at once
        present = rows(wb.store.engine)
        done_cmds = [c for c in commands if c.state == "done"]

        # Replay every done command, in the order applied, into a fresh project.
        fresh_target = (str(tmp_path / "replay.wbp") if backend == "sqlite"
                        else request.getfixturevalue("pg_schemas").new())
        with Workbench.create(fresh_target, actor="setup") as fresh:
            with Session(fresh.store.engine) as s, s.begin():
                for cmd in done_cmds:
                    replay(s, cmd.changes, backwards=False)
            assert rows(fresh.store.engine) == present

        # Undoing every done command, newest first, leaves an empty project.
        with Session(wb.store.engine) as s:
            with s.begin():
                for cmd in reversed(done_cmds):
                    replay(s, cmd.changes, backwards=True)
                s.flush()
                left = {t.name: s.execute(select(t)).first() for t in Base.metadata.sorted_tables
                        if t.name in RECORDED_TABLES and t.name != "project"}
                assert all(v is None for v in left.values()), {k: v for k, v in left.items() if v}
                s.rollback()
    print(f"\n{backend} N={n} {SOAK:.0f}s: {dict(seen)}")


def test_positions_are_race_free_with_two_processes(project_target, tmp_path):
    Workbench.create(project_target, actor="setup").close()
    logs = run_workers("positions", project_target, 2, 25, tmp_path)
    for _actor, events in logs:
        assert [e["op"] for e in events] == ["do"] * 25, events
    with Workbench.open(project_target, actor="setup") as wb:
        with wb.store.read() as s:
            codes = [p for (p,) in s.execute(select(Code.position))]
            themes = [p for (p,) in s.execute(select(Theme.position))]
    assert sorted(codes) == list(range(50))
    assert sorted(themes) == list(range(50))


def test_concurrent_undos_by_one_person_never_take_the_same_command(project_target, tmp_path):
    """Two ``workbench undo`` at once used to undo one command and both report it."""
    with Workbench.create(project_target, actor="forsker") as wb:
        for i in range(30):
            wb.codes.create(f"kode {i}")
        with wb.store.read() as s:
            mine = sorted(s.scalars(select(Command.seq)), reverse=True)
    logs = run_workers("undo", project_target, 2, 12, tmp_path, actors=["forsker#1", "forsker#2"])
    events_ = [e for _a, events in logs for e in events]
    assert all(e["op"] == "undo" for e in events_), [e for e in events_ if e["op"] != "undo"]
    undone = [e["seq"] for e in events_]
    assert sorted(undone, reverse=True) == mine[:24]  # each once, the latest 24, no gaps
    for _a, events in logs:  # and each process saw them newest first
        seqs = [e["seq"] for e in events]
        assert seqs == sorted(seqs, reverse=True)
    with Workbench.open(project_target, actor="forsker") as wb:
        assert len(wb.codes.list()) == 6
