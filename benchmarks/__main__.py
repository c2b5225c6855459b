"""Run the benchmarks: ``python -m benchmarks --size small|full|large [--only search]
[--json FILE] [--no-team] [--pg-url URL]``.

Every figure is measured in this run next to its floor: the same work done by the bare
libraries the product uses, measured in the same run, because machines are noisy and ratios
are what we compare. ``ratio`` is always what we cost against the floor (time or bytes over
the floor's; for a rate, the floor's rate over ours): above 1 we are slower or bigger.

The figures (``--json`` writes each as ``{"value", "floor", "ratio", "unit"}``, floor null
where none exists; everything else goes under ``"meta"``):

``import_words_per_s``
    ``ImportService.import_files`` (the multi-file import, text processing in worker
    processes) of every transcript in a fresh process, timed from process start to exit
    (interpreter start, library imports and NLP warm-up included, as a user waits for them). Floor, in a fresh process too: spaCy's blank
    bokmål tokenizer per turn, ``simplemma.lemmatize`` on every word (bare) and plain
    ``sqlite3`` ``executemany`` of the same kind of rows in the same format (transcript,
    turns, the change log's compressed row, the term dictionary, postings and the layout
    row with the sentences).
``transcript_switch_ms`` / ``transcript_first_open_ms``
    From the home screen, open a transcript of 15 000 words with 600 codings in the coding
    screen until it is loaded and painted; first: the first time in the session; switch: the
    median of later opens alternating between two such transcripts. Floor: a screen with one
    plain read-only soft-wrapped ``TextArea`` holding the same text, pushed the same way.
``apply_code_key_cpu_ms``
    The ``r`` key (repeat the last code on the selection) in the coding screen, CPU time
    until the text and every side panel are updated (the deferred side-panel update
    included). Floor: the same key in an app with one TextArea and a do-nothing binding.
``fresh_open_s``
    ``workbench open P`` in a fresh process on a pseudo-terminal (80×24), from process start
    to the first frame of the home screen written to the terminal: the app writes a marker
    file when it has drawn its first screen if ``WORKBENCH_FIRST_FRAME_FILE`` names one
    (:mod:`workbench.tui.app`), then quits. Floor: a bare Textual app with one ``Static``
    doing the same in a fresh process. Median of a few runs.
``search_p95_ms`` / ``search_first_ms``
    One page of search hits with exact counts, as the search screen asks for it.
``report_export_s``
    The Word report of all themes with the 500 quotes. Floor: python-docx writing the same
    500 quotes (a heading per code, the quote and its attribution).
``project_mb_per_transcript``
    The project file (with its WAL) per 15 000 words of transcript. Floor: the bare sqlite3
    file of the import floor.
``peak_rss_mb``
    The peak memory of the import: its process and its worker processes, sampled every
    20 ms, summed (proportional set sizes: pages they share are counted once).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import random
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

os.environ.setdefault("TEXTUAL_ANIMATIONS", "none")
os.environ.setdefault("WORKBENCH_USER", "benchmark")

from benchmarks.corpus import CODE_NAMES, SIZES, Size, word_types, write_corpus  # noqa: E402
from benchmarks.team import PG_ENV, measure_team  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
WORDS_PER_TRANSCRIPT = 15_000  # the unit of project_mb_per_transcript
FIRST_FRAME_ENV = "WORKBENCH_FIRST_FRAME_FILE"  # read by workbench.tui.app

FIGURES: dict[str, str] = {  # name -> unit, in the order printed
    "import_words_per_s": "words/s",
    "transcript_switch_ms": "ms",
    "transcript_first_open_ms": "ms",
    "apply_code_key_cpu_ms": "ms CPU",
    "fresh_open_s": "s",
    "search_p95_ms": "ms",
    "search_first_ms": "ms",
    "report_export_s": "s",
    "project_mb_per_transcript": "MB",
    "peak_rss_mb": "MB",
}
RATES = {"import_words_per_s"}  # higher is better: ratio = floor / value

TARGETS: dict[str, tuple[str, float, str]] = {  # full and large size only
    "import_words_per_s": (">=", 200_000, "value"),
    "transcript_switch_ms": ("<=", 1.3, "ratio"),
    "transcript_first_open_ms": ("<=", 300, "value"),
    "apply_code_key_cpu_ms": ("<=", 1.2, "ratio"),
    "fresh_open_s": ("<=", 1.0, "value"),
    "search_p95_ms": ("<=", 100, "value"),
    "search_first_ms": ("<=", 200, "value"),
    "report_export_s": ("<=", 2, "value"),
    "project_mb_per_transcript": ("<=", 0.5, "value"),
    "peak_rss_mb": ("<=", 400, "value"),
}


def _percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    k = max(0, min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1))))
    return ordered[k]


def figure(name: str, value: float | None, floor: float | None) -> dict[str, Any]:
    """One figure as ``--json`` writes it."""
    ratio = None
    if value is not None and floor is not None and value > 0 and floor > 0:
        ratio = floor / value if name in RATES else value / floor
    return {"value": value, "floor": floor, "ratio": ratio, "unit": FIGURES[name]}


# -- child processes: timed from the parent, process start included ---------------------------


class _TreeMemory:
    """Samples the memory of a process and its descendants (Linux /proc), summed."""

    def __init__(self, pid: int, every: float = 0.02) -> None:
        self.pid = pid
        self.every = every
        self.peak_kb = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    @staticmethod
    def _children(pid: int) -> list[int]:
        out = []
        try:
            for task in os.listdir(f"/proc/{pid}/task"):
                with open(f"/proc/{pid}/task/{task}/children") as f:
                    out += [int(x) for x in f.read().split()]
        except OSError:
            pass
        return out

    @staticmethod
    def _rss_kb(pid: int) -> int:
        """The process's proportional set size (shared pages split between the processes
        that share them, so the tree's sum is the memory it really holds); its resident
        set size where the kernel gives no PSS."""
        for path, key in ((f"/proc/{pid}/smaps_rollup", "Pss:"), (f"/proc/{pid}/status", "VmRSS:")):
            try:
                with open(path) as f:
                    for line in f:
                        if line.startswith(key):
                            return int(line.split()[1])
            except OSError:
                continue
        return 0

    def _run(self) -> None:
        while not self._stop.is_set():
            todo, total = [self.pid], 0
            while todo:
                pid = todo.pop()
                total += self._rss_kb(pid)
                todo += self._children(pid)
            self.peak_kb = max(self.peak_kb, total)
            self._stop.wait(self.every)

    def stop(self) -> float:
        self._stop.set()
        self._thread.join()
        return self.peak_kb / 1024


def _timed_child(code: str, *args: str, env: dict[str, str] | None = None) -> tuple[float, float, str]:
    """Run ``python -c code args`` in a fresh process: (wall seconds from spawn to exit, peak
    RSS of its process tree in MB, its stdout)."""
    start = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, "-c", code, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        text=True, cwd=ROOT, env={**os.environ, **(env or {})},
    )
    memory = _TreeMemory(proc.pid)
    out, err = proc.communicate()
    elapsed = time.perf_counter() - start
    peak = memory.stop()
    if proc.returncode != 0:
        raise SystemExit(f"benchmark child failed:\n{err}")
    return elapsed, peak, out


def _import_child(project: str, files: list[str], warm_first: bool = False) -> None:
    """Import every file into the project, as one multi-file import, the way ``workbench
    import P FILE…`` does it: the workers' fork server is started first (it loads the NLP
    pipeline while this process imports the storage layer and opens the project), then
    :meth:`ImportService.import_files`.

    ``warm_first`` (the scale figures): wait until the fork server has loaded the pipeline
    (a worker forked from it has answered) before the import is timed, so that the time
    inside leaves the warm-up out, as it does where no workers are used."""
    import resource

    from workbench.nlp import workers

    pooled = workers.worth_it(files)
    if pooled:
        workers.start()
    if pooled and warm_first:
        workers.wait_warm()
    from workbench.services import Workbench

    with Workbench.open(project) as wb:
        start = time.perf_counter()
        results = wb.imports.import_files(files)
        inside = time.perf_counter() - start
        words = sum(r.words for r in results)
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"words": words, "rss_mb": rss, "inside_s": inside}))


def _import_floor_child(db: str, files: list[str]) -> None:
    """The bare libraries doing the import's work: spaCy's blank tokenizer per turn,
    simplemma on every word, and sqlite3 executemany of the product's rows in its format:
    transcript, turns, the change log's row (the transcript and its turns as compact JSON,
    zlib-compressed), the term dictionary, postings (word numbers delta- and
    varint-coded, a form that is its lemma's only form sharing the lemma's row) and the
    per-transcript layout row (word and sentence spans as deflated gap/length arrays, turn
    starts and keys)."""
    import re
    import sqlite3
    import zlib
    from array import array

    import simplemma
    import spacy

    def varints(values: list[int]) -> bytes:
        if not values or max(values) < 0x80:
            return bytes(values)
        out = bytearray()
        for v in values:
            while v >= 0x80:
                out.append((v & 0x7F) | 0x80)
                v >>= 7
            out.append(v)
        return bytes(out)

    def numbers(ns: list[int]) -> bytes:
        return varints([ns[0], *(b - a for a, b in zip(ns, ns[1:]))])

    def ints(values: list[int]) -> bytes:
        lo, hi = (min(values), max(values)) if values else (0, 0)
        code = "B" if lo >= 0 and hi < 256 else "H" if lo >= 0 and hi < 65536 else "i"
        z = zlib.compressobj(6, zlib.DEFLATED, -15)
        return code.encode() + z.compress(array(code, values).tobytes()) + z.flush()

    def sections(parts: list[bytes]) -> bytes:
        return b"\x01" + b"".join(varints([len(p)]) + p for p in parts)

    def steps(spans: list[tuple[int, int]]) -> list[int]:
        out, prev = [], 0
        for a, b in spans:
            out += (a - prev, b - a)
            prev = b
        return out

    tokenizer = spacy.blank("nb").tokenizer
    conn = sqlite3.connect(db)
    conn.executescript(
        "CREATE TABLE transcript (id INTEGER PRIMARY KEY, name TEXT, text TEXT);"
        "CREATE TABLE turn (id INTEGER PRIMARY KEY, transcript_id INT, speaker TEXT,"
        " position INT, start INT, \"end\" INT);"
        "CREATE TABLE command (seq INTEGER PRIMARY KEY, name TEXT, changes BLOB);"
        "CREATE TABLE posting_term (id INTEGER PRIMARY KEY, term TEXT UNIQUE);"
        "CREATE TABLE posting (transcript_id INT, term_id INT, field INT, count INT, data BLOB,"
        " PRIMARY KEY (transcript_id, term_id, field)) WITHOUT ROWID;"
        "CREATE TABLE text_index (transcript_id INTEGER PRIMARY KEY, version TEXT, words INT,"
        " tokens BLOB, sentences BLOB, turns BLOB);"
        "CREATE INDEX ix_turn ON turn (transcript_id, position);"
        "CREATE INDEX ix_posting_term_id ON posting (term_id, field);"
    )
    sentence_end = re.compile(r"[.!?…]+(?=\s|$)")
    term_ids: dict[str, int] = {}
    words = 0
    turn_id = 0
    for number, file in enumerate(files, 1):
        raw = Path(file).read_text(encoding="utf-8")
        speakers, turns = [], []
        for line in raw.split("\n"):
            if not line.strip():
                continue
            speaker, sep, said = line.partition(": ")
            speakers.append(speaker if sep else None)
            turns.append(said if sep else line)
        text = "\n\n".join(turns)
        words += len(text.split())
        conn.execute("INSERT INTO transcript VALUES (?, ?, ?)", (number, Path(file).stem, text))
        turn_rows, sentences, spans = [], [], []
        lemmas: dict[str, list[int]] = {}
        forms: dict[str, list[int]] = {}
        offset, n = 0, 0
        for i, (turn, doc) in enumerate(zip(turns, tokenizer.pipe(turns, batch_size=1000),
                                            strict=True)):
            turn_id += 1
            turn_rows.append((turn_id, number, speakers[i], i, offset, offset + len(turn)))
            start = 0
            for m in sentence_end.finditer(turn):
                sentences.append((offset + start, offset + m.end()))
                start = m.end() + 1
            for tok in doc:
                if tok.is_space or tok.is_punct:
                    continue
                norm = tok.lower_
                lemmas.setdefault(simplemma.lemmatize(norm, "nb").lower(), []).append(n)
                forms.setdefault(norm, []).append(n)
                spans.append((offset + tok.idx, offset + tok.idx + len(tok.text)))
                n += 1
            offset += len(turn) + 2
        conn.executemany("INSERT INTO turn (id, transcript_id, speaker, position, start, \"end\")"
                         " VALUES (?, ?, ?, ?, ?, ?)", turn_rows)
        log = [{"t": "transcript", "op": "i", "id": number,
                "new": {"id": number, "name": Path(file).stem, "text": text}}]
        log += [{"t": "turn", "op": "i", "id": r[0],
                 "new": dict(zip(("id", "transcript_id", "speaker", "position", "start", "end"), r,
                                 strict=True))} for r in turn_rows]
        conn.execute("INSERT INTO command (name, changes) VALUES (?, ?)", ("transcript.import", zlib.compress(
            json.dumps(log, ensure_ascii=False, separators=(",", ":")).encode(), 3)))
        rows = [(t, 3 if forms.get(t) == ns else 1, ns) for t, ns in lemmas.items()]
        rows += [(t, 2, ns) for t, ns in forms.items() if lemmas.get(t) != ns]
        new = []
        for term, _field, _ns in rows:
            if term not in term_ids:
                term_ids[term] = len(term_ids) + 1
                new.append((term_ids[term], term))
        conn.executemany("INSERT INTO posting_term VALUES (?, ?)", new)
        conn.executemany("INSERT INTO posting VALUES (?, ?, ?, ?, ?)",
                         [(number, term_ids[t], f, len(ns), numbers(ns)) for t, f, ns in rows])
        token_steps = steps(spans)
        marks = [sum(token_steps[i:i + 32]) for i in range(0, len(token_steps), 32)]
        starts = [r[4] for r in turn_rows]
        ids = [r[0] for r in turn_rows]
        conn.execute("INSERT INTO text_index VALUES (?, '4', ?, ?, ?, ?)", (
            number, n, sections([ints(token_steps), ints([16, *marks])]),
            sections([ints(steps(sentences))]),
            sections([ints([starts[0], *(b - a for a, b in zip(starts, starts[1:]))]),
                      ints([ids[0], *(b - a for a, b in zip(ids, ids[1:]))])])))
        conn.commit()
    conn.close()
    print(json.dumps({"words": words}))


def _measure_import(project: Path, files: list[Path], warm_first: bool = False) -> dict[str, Any]:
    from workbench.services import Workbench

    Workbench.create(project, title="Benchmark").close()  # `workbench new`: not timed
    seconds, peak, out = _timed_child(
        "import sys, json; from benchmarks.__main__ import _import_child; "
        "_import_child(sys.argv[1], json.loads(sys.argv[2]), sys.argv[3] == '1')",
        str(project), json.dumps([str(f) for f in files]), "1" if warm_first else "0",
    )
    result = json.loads(out.strip().splitlines()[-1])
    return {"words": result["words"], "seconds": seconds, "words_per_s": result["words"] / seconds,
            "peak_rss_mb": peak, "inside_words_per_s": result["words"] / result["inside_s"]}


def _measure_import_floor(db: Path, files: list[Path]) -> dict[str, Any]:
    seconds, _peak, out = _timed_child(
        "import sys, json; from benchmarks.__main__ import _import_floor_child; "
        "_import_floor_child(sys.argv[1], json.loads(sys.argv[2]))",
        str(db), json.dumps([str(f) for f in files]),
    )
    words = json.loads(out.strip().splitlines()[-1])["words"]
    return {"words_per_s": words / seconds, "mb": db.stat().st_size / 1e6, "words": words}


# -- project setup that is not measured ------------------------------------------------------


def _populate(project: Path, size: Size) -> dict[str, Any]:
    """Codes, codings (some marked as quotes) and a theme map, in bulk: ``open_codings`` on
    each of the first two transcripts (the ones the open figures show), the rest spread
    over the others."""
    from sqlalchemy import select

    from workbench.domain.model import name_key
    from workbench.services import Workbench
    from workbench.storage.models import Code, Coding, CodeTheme, Theme, Transcript, Turn

    rng = random.Random(7)
    with Workbench.open(project) as wb:
        # a declared command that may write codes, codings and themes (the store refuses
        # undeclared command names): the set-up is one bulk "import"
        with wb.store.command("benchmark.populate") as s:
            codes = []
            for i, name in enumerate(CODE_NAMES):
                code = Code(name=name, name_key=name_key(name), colour="#4e79a7", position=i)
                s.add(code)
                codes.append(code)
            s.flush()
            shown = s.execute(select(Transcript.id).order_by(Transcript.id)).scalars().all()[:2]
            turns = s.execute(select(Turn.transcript_id, Turn.start, Turn.end)).all()
            turns = [t for t in turns if t.end - t.start > 20]
            by_transcript: dict[int, list] = {}
            for t in turns:
                by_transcript.setdefault(t.transcript_id, []).append(t)
            rest = [tid for tid in by_transcript if tid not in shown]
            left = max(0, size.codings - size.open_codings * len(shown))
            n = 0
            for tid, items in by_transcript.items():
                count = (size.open_codings if tid in shown
                         else left // len(rest) + (1 if rest.index(tid) < left % len(rest) else 0))
                for _ in range(count):
                    turn = rng.choice(items)
                    a = rng.randint(turn.start, turn.end - 10)
                    b = min(turn.end, a + rng.randint(10, 200))
                    s.add(Coding(transcript_id=tid, code_id=rng.choice(codes).id, start=a, end=b,
                                 coder="benchmark", is_quote=rng.random() < size.quotes / size.codings))
                    n += 1
            s.flush()
            # exactly size.quotes quotes
            quotes = s.scalars(select(Coding).where(Coding.is_quote)).all()
            for extra in quotes[size.quotes:]:
                extra.is_quote = False
            if len(quotes) < size.quotes:
                for coding in s.scalars(select(Coding).where(~Coding.is_quote)
                                        .limit(size.quotes - len(quotes))):
                    coding.is_quote = True
            themes = []
            for i in range(4):
                theme = Theme(name=f"Hovedtema {i + 1}: en lang formulering om hva informantene sier",
                              definition="Definisjon av temaet.", position=i)
                s.add(theme)
                themes.append(theme)
            s.flush()
            for i in range(8):
                sub = Theme(name=f"Undertema {i + 1}", parent_id=themes[i % 4].id, position=i)
                s.add(sub)
                s.flush()
                s.add(CodeTheme(code_id=codes[i].id, theme_id=sub.id))
            for i, code in enumerate(codes[8:]):
                s.add(CodeTheme(code_id=code.id, theme_id=themes[i % 4].id))
        texts = [wb.transcripts.get(tid).text for tid in shown]
    return {"codings": n, "shown": shown, "texts": texts}


# -- the terminal UI (headless, in this process) -----------------------------------------------


async def _wait_shown(pilot, app):  # type: ignore[no-untyped-def]
    """Until the coding screen is on top with its transcript loaded, and painted."""
    from workbench.tui.screens.coding.screen import CodingScreen

    await pilot.pause()
    while not (isinstance(app.screen, CodingScreen) and app.screen.loaded):
        await pilot.pause(0.001)
    await pilot.pause()
    return app.screen


async def _ui_figures(project: Path, shown: list[int], opens_n: int, keys: int) -> dict[str, Any]:
    from workbench.services import Workbench
    from workbench.tui.app import WorkbenchApp
    from workbench.tui.screens.coding.screen import SIDE_DELAY
    from workbench.tui.screens.home import HomeScreen

    out: dict[str, Any] = {}
    wb = Workbench.open(project)
    app = WorkbenchApp(wb, freeze_gc=True)  # as `workbench open` runs it (run_app)
    async with app.run_test(size=(160, 50)) as pilot:
        while not isinstance(app.screen, HomeScreen):
            await pilot.pause()
        await pilot.pause()
        home = app.screen
        # A user reads the home screen before pressing Enter: the NLP warm-up that starts
        # after the first frame (a thread) is done before the first open is timed.
        t0 = time.perf_counter()
        for worker in [w for w in app.workers if w.group == "nlp-warm-up"]:
            await worker.wait()
        await pilot.pause()
        out["warm_up_wait_s"] = time.perf_counter() - t0
        opens = []
        for i in range(opens_n):  # Enter on the home screen's row of the transcript
            tid = shown[i % len(shown)]
            start = time.perf_counter()
            home.open_transcript(tid)
            screen = await _wait_shown(pilot, app)
            opens.append((time.perf_counter() - start) * 1000)
            if i < opens_n - 1:
                await pilot.press("escape")  # back to the home screen (not timed)
                while app.screen is not home:
                    await pilot.pause()
                await pilot.pause()
        out["first_open_ms"] = opens[0]
        out["switch_ms"] = statistics.median(opens[1:])
        out["switch_samples_ms"] = [round(x, 1) for x in opens]
        # apply a code through the key: r repeats the last code on the selection
        tid = shown[(len(opens) - 1) % len(shown)]
        turns = [t for t in wb.transcripts.get(tid).turns if t.end - t.start > 40]
        first = screen.apply_code(name="Benchmarkkode", span=(turns[0].start, turns[0].start + 30))
        assert first is not None
        await pilot.pause(SIDE_DELAY * 2)
        applies = []
        for i in range(1, keys + 1):
            turn = turns[(i * 7) % len(turns)]
            screen._select_stored(turn.start, turn.start + 30)  # the user's selection
            await pilot.pause()
            before = len(screen.view.codings)
            t0 = time.process_time()
            await pilot.press("r")  # waited for as the floor waits for its key
            await pilot.pause()
            await pilot.pause(SIDE_DELAY)
            await pilot.pause()
            while screen._side_scheduled:  # the deferred side-panel update, if still due
                await pilot.pause(SIDE_DELAY / 5)
                await pilot.pause()
            applies.append((time.process_time() - t0) * 1000)
            assert len(screen.view.codings) == before + 1  # the key coded the selection
        out["apply_key_cpu_ms"] = statistics.median(applies)
        out["apply_key_cpu_ms_p95"] = _percentile(applies, 95)
    wb.close()
    return out


async def _switch_floor(texts: list[str], opens_n: int) -> dict[str, float]:
    """A plain read-only soft-wrapped TextArea with the same text in a pushed screen."""
    from textual.app import App, ComposeResult
    from textual.screen import Screen
    from textual.widgets import Static, TextArea

    class Plain(Screen[None]):
        def __init__(self, text: str) -> None:
            super().__init__()
            self.text = text

        def compose(self) -> ComposeResult:
            yield TextArea(self.text, read_only=True, soft_wrap=True)

    class Base(App[None]):
        def compose(self) -> ComposeResult:
            yield Static("home")

    app = Base()
    samples = []
    async with app.run_test(size=(160, 50)) as pilot:
        await pilot.pause()
        for i in range(opens_n):
            t0 = time.perf_counter()
            app.push_screen(Plain(texts[i % len(texts)]))
            await pilot.pause()
            await pilot.pause()
            samples.append((time.perf_counter() - t0) * 1000)
            app.pop_screen()
            await pilot.pause()
    return {"first_ms": samples[0], "switch_ms": statistics.median(samples[1:])}


async def _key_floor(keys: int) -> float:
    """The same key (``r``) in an app with one TextArea and a binding that does nothing,
    waited for the same way (the side-panel delay included)."""
    from textual.app import App, ComposeResult
    from textual.binding import Binding
    from textual.widgets import TextArea

    from workbench.tui.screens.coding.screen import SIDE_DELAY

    class Empty(App[None]):
        BINDINGS = [Binding("r", "nothing", "nothing")]

        def compose(self) -> ComposeResult:
            yield TextArea("\n".join(f"linje {i}" for i in range(2000)), read_only=True)

        def action_nothing(self) -> None:
            pass

    app = Empty()
    samples = []
    async with app.run_test(size=(160, 50)) as pilot:
        area = app.query_one(TextArea)
        area.focus()
        for i in range(keys):
            area.select_line(i * 3)
            await pilot.pause()
            t0 = time.process_time()
            await pilot.press("r")
            await pilot.pause()
            await pilot.pause(SIDE_DELAY)
            await pilot.pause()
            samples.append((time.process_time() - t0) * 1000)
    return statistics.median(samples)


# -- fresh open: a new process on a pseudo-terminal until its first frame ---------------------


_FLOOR_APP = """
import os, sys, time
from textual.app import App
from textual.widgets import Static

class Bare(App):
    def compose(self):
        yield Static("Hei")

    def on_mount(self):
        self.call_after_refresh(self.drawn)

    def drawn(self):
        with open(os.environ["WORKBENCH_FIRST_FRAME_FILE"], "w") as f:
            f.write(repr(time.time()))
        self.exit()

Bare().run()
"""


def _first_frame_s(argv: list[str], marker: Path) -> float:
    """Wall seconds from spawning ``argv`` on an 80×24 pseudo-terminal to the time its app
    wrote into ``marker`` (after drawing its first screen)."""
    import fcntl
    import pty
    import struct
    import termios

    marker.unlink(missing_ok=True)
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
    env = {**os.environ, FIRST_FRAME_ENV: str(marker), "TERM": "xterm-256color"}
    env.pop("TEXTUAL_HEADLESS", None)
    # as an installed program starts: from cached byte code (pip compiles it; a shell that
    # sets PYTHONDONTWRITEBYTECODE would make every run compile the workbench's modules anew)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    drained = threading.Event()

    def drain() -> None:  # the terminal's reader: keeps the child from blocking on output
        while True:
            try:
                if not os.read(master, 65536):
                    break
            except OSError:
                break
        drained.set()

    reader = threading.Thread(target=drain, daemon=True)
    start = time.time()
    proc = subprocess.Popen(argv, stdin=slave, stdout=slave, stderr=slave, cwd=ROOT, env=env,
                            start_new_session=True)
    os.close(slave)
    reader.start()
    try:
        proc.wait(timeout=60)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
    os.close(master)
    if not marker.exists():
        raise SystemExit(f"{argv} drew no first frame (exit status {proc.returncode})")
    return float(marker.read_text()) - start


def _fresh_open(project: Path, runs: int) -> dict[str, float]:
    marker = project.with_suffix(".frame")
    ours_argv = [sys.executable, "-m", "workbench.cli.main", "open", str(project)]
    floor_argv = [sys.executable, "-c", _FLOOR_APP]
    for argv in (ours_argv, floor_argv):  # not counted: writes the byte code, fills the page cache
        _first_frame_s(argv, marker)
    ours = [_first_frame_s(ours_argv, marker) for _ in range(runs)]
    floor = [_first_frame_s(floor_argv, marker) for _ in range(runs)]
    return {"value": statistics.median(ours), "floor": statistics.median(floor)}


# -- search, autocode, export ------------------------------------------------------------------


SEARCH_QUERIES = ["bruker", "håp", '"mer tid"', "samarbeid*", "bestemme", "relasjon"]
SEARCH_PAGE = 200  # the search screen's page


def _search_figures(project: Path) -> dict[str, Any]:
    """What the search screen does: one page of hits with exact counts and the forms.

    ``search_first_ms`` is the first search after opening the project, with the lemmatizer
    loaded and ``SearchService.warm_up`` done (the TUI does both in the background after
    its first frame); ``first_cold_ms`` in meta is the first search without either read.
    """
    from workbench.nlp import get_pipeline
    from workbench.services import Workbench

    get_pipeline().warm_up()
    out: dict[str, Any] = {}

    def page(wb: Workbench, q: str):  # type: ignore[no-untyped-def]
        return wb.search.find(q, offset=0, size=SEARCH_PAGE, readings=False)

    from workbench.storage import search_index

    with Workbench.open(project) as wb:  # cold: nothing read yet in this process
        t0 = time.perf_counter()
        page(wb, "bruker")
        out["first_cold_ms"] = (time.perf_counter() - t0) * 1000
    search_index._CACHE.clear()  # nothing decoded kept from that search
    search_index._DECODED.clear()
    search_index._DECODED_VALUES[0] = 0
    with Workbench.open(project) as wb:
        t0 = time.perf_counter()
        wb.search.warm_up()  # what the TUI does in the background after its first frame
        out["warm_up_ms"] = (time.perf_counter() - t0) * 1000
        t0 = time.perf_counter()
        page(wb, "bruker")
        out["first_ms"] = (time.perf_counter() - t0) * 1000
        times: dict[str, list[float]] = {q: [] for q in SEARCH_QUERIES}
        counts = {}
        for _ in range(5):
            for q in SEARCH_QUERIES:
                t0 = time.perf_counter()
                result = page(wb, q)
                times[q].append((time.perf_counter() - t0) * 1000)
                counts[q] = result.total
        every = [x for values in times.values() for x in values]
        out["median_ms"] = statistics.median(every)
        out["p95_ms"] = _percentile(every, 95)
        out["p95_by_query_ms"] = {q: round(_percentile(v, 95), 1) for q, v in times.items()}
        out["hits"] = counts
        hits = wb.search.search("bruker")
        after = []
        for i in range(3):
            wb.codes.apply(hits[i].transcript_id, hits[i].start, hits[i].end,
                           name="Benchmark-redigering")
            t0 = time.perf_counter()
            page(wb, "bruker")
            after.append((time.perf_counter() - t0) * 1000)
        out["after_edit_ms"] = statistics.median(after)
        hits = wb.search.search("trygghet")[:1000]
        t0 = time.perf_counter()
        spans = wb.search.expand(hits, "hit")
        wb.search._code_spans(spans, "Autokodet trygghet", label="trygghet", unit="hit")
        out["autocode_hits"] = len(spans)
        out["autocode_s"] = time.perf_counter() - t0
    return out


def _quotes(project: Path) -> list[tuple[str, str, str]]:
    """(code, transcript, quoted text) of every quote, read with bare sqlite3 (not timed)."""
    import sqlite3

    conn = sqlite3.connect(project)
    rows = conn.execute(
        "SELECT code.name, transcript.name, substr(transcript.text, coding.start + 1,"
        " coding.\"end\" - coding.start) FROM coding JOIN code ON code.id = coding.code_id"
        " JOIN transcript ON transcript.id = coding.transcript_id WHERE coding.is_quote"
        " ORDER BY code.name, coding.id"
    ).fetchall()
    conn.close()
    return rows


def _export_figures(project: Path, tmp: Path) -> dict[str, Any]:
    from workbench.services import Workbench
    from workbench.services.exports import ExportService

    out: dict[str, Any] = {}
    with Workbench.open(project) as wb:
        service = ExportService(wb.store)
        t0 = time.perf_counter()
        service.export("theme-table", tmp / "theme-table.docx")
        out["theme_table_s"] = time.perf_counter() - t0
        t0 = time.perf_counter()
        service.export("report", tmp / "report.docx")
        out["report_s"] = time.perf_counter() - t0
    # Floor: python-docx writing the same quotes (a heading per code, quote, attribution).
    import docx

    quotes = _quotes(project)
    t0 = time.perf_counter()
    doc = docx.Document()
    doc.add_heading("Rapport", 0)
    heading = None
    for code, transcript, text in quotes:
        if code != heading:
            doc.add_heading(code, 2)
            heading = code
        doc.add_paragraph().add_run(f"«{text}»").italic = True
        doc.add_paragraph(f"({transcript})")
    doc.save(str(tmp / "floor.docx"))
    out["report_floor_s"] = time.perf_counter() - t0
    out["quotes"] = len(quotes)
    return out


# -- main ----------------------------------------------------------------------------------------


def _project_mb(project: Path) -> float:
    return sum(p.stat().st_size for p in (project, Path(f"{project}-wal")) if p.exists()) / 1e6


def run(size: Size, workdir: Path, only: str | None = None) -> dict[str, Any]:
    """All figures of one size: ``{"figures": {name: figure}, "meta": {...}}``."""
    phases: dict[str, float] = {}
    clock = [time.perf_counter()]

    def phase(name: str) -> None:
        now = time.perf_counter()
        phases[name] = now - clock[0]
        clock[0] = now

    files = write_corpus(workdir / "corpus", size)
    meta: dict[str, Any] = {"size": size.name, "transcripts": size.transcripts}
    phase("corpus")
    project = workdir / "bench.wbp"
    imported = _measure_import(project, files)
    floor = _measure_import_floor(workdir / "floor.sqlite", files)
    phase("import")
    per = imported["words"] / size.transcripts / WORDS_PER_TRANSCRIPT
    meta.update(words=imported["words"], import_s=imported["seconds"],
                import_words_per_s_after_start=imported["inside_words_per_s"],
                word_types_per_transcript=min(word_types(f.read_text(encoding="utf-8"))
                                              for f in files))
    figures = {
        "import_words_per_s": figure("import_words_per_s", imported["words_per_s"],
                                     floor["words_per_s"]),
        "peak_rss_mb": figure("peak_rss_mb", imported["peak_rss_mb"], None),
    }
    if size.scale:
        # the import alone (process start and warm-up left out: they are the same for any
        # number of files), so that words/s compares the work itself at each size; each
        # size is imported anew the same way (the workers warm before the clock starts)
        scale = {}
        for n in size.scale:
            scale[n] = _measure_import(workdir / f"scale{n}.wbp", files[:n],
                                       warm_first=True)["inside_words_per_s"]
            Path(workdir / f"scale{n}.wbp").unlink()
        meta["scale_words_per_s"] = {str(n): round(v) for n, v in scale.items()}
        meta["scale_spread"] = max(scale.values()) / min(scale.values()) - 1
        phase("scale")
    search = _search_figures(project) if only == "search" else None
    if only != "search":
        setup = _populate(project, size)
        meta["codings"] = setup["codings"]
        meta["codings_on_open_transcripts"] = size.open_codings
        phase("populate")
        search = _search_figures(project)
        phase("search")
        small = size.name == "small"  # checks that the script works: fewer samples
        keys, opens_n = (6, 4) if small else (40, 7)
        ui = asyncio.run(_ui_figures(project, setup["shown"], opens_n, keys))
        switch_floor = asyncio.run(_switch_floor(setup["texts"], opens_n))
        key_floor = asyncio.run(_key_floor(keys))
        phase("ui")
        meta.update(transcript_switch_samples_ms=ui["switch_samples_ms"],
                    nlp_warm_up_wait_before_first_open_s=round(ui["warm_up_wait_s"], 2),
                    apply_code_key_cpu_ms_p95=ui["apply_key_cpu_ms_p95"])
        figures["transcript_switch_ms"] = figure("transcript_switch_ms", ui["switch_ms"],
                                                 switch_floor["switch_ms"])
        figures["transcript_first_open_ms"] = figure("transcript_first_open_ms",
                                                     ui["first_open_ms"], switch_floor["first_ms"])
        figures["apply_code_key_cpu_ms"] = figure("apply_code_key_cpu_ms",
                                                  ui["apply_key_cpu_ms"], key_floor)
        fresh = _fresh_open(project, runs=1 if small else 3)
        figures["fresh_open_s"] = figure("fresh_open_s", fresh["value"], fresh["floor"])
        phase("fresh_open")
        export = _export_figures(project, workdir)
        meta.update(theme_table_export_s=export["theme_table_s"], quotes=export["quotes"])
        figures["report_export_s"] = figure("report_export_s", export["report_s"],
                                            export["report_floor_s"])
        phase("export")
    assert search is not None
    figures["search_p95_ms"] = figure("search_p95_ms", search["p95_ms"], None)
    figures["search_first_ms"] = figure("search_first_ms", search["first_ms"], None)
    meta["search"] = {k: search[k] for k in ("median_ms", "p95_by_query_ms", "hits",
                                             "after_edit_ms", "autocode_hits", "autocode_s",
                                             "first_cold_ms", "warm_up_ms")}
    figures["project_mb_per_transcript"] = figure(
        "project_mb_per_transcript", _project_mb(project) / size.transcripts / per,
        floor["mb"] / size.transcripts / per)
    meta["project_file_mb"] = _project_mb(project)
    meta["phase_s"] = {k: round(v, 1) for k, v in phases.items()}
    ordered = {name: figures[name] for name in FIGURES if name in figures}
    return {"figures": ordered, "meta": meta}


def _fmt(value: Any) -> str:
    if value is None:
        return "–"
    if isinstance(value, float):
        return f"{value:,.0f}" if value >= 1000 else f"{value:.3g}"
    return str(value)


def _verdict(name: str, fig: dict[str, Any]) -> str:
    op, limit, on = TARGETS[name]
    got = fig[on]
    if got is None:
        return ""
    ok = got >= limit if op == ">=" else got <= limit
    what = f"{op}{limit:g}{'×' if on == 'ratio' else ''}"
    return f"{what} {'ok' if ok else 'MISS'}"


def report(result: dict[str, Any]) -> str:
    figures, meta = result["figures"], result["meta"]
    judged = meta.get("size") in ("full", "large")
    lines = [f"{'figure':<28} {'value':>10} {'floor':>10} {'ratio':>7}  {'unit':<8} target"]
    for name, fig in figures.items():
        ratio = f"{fig['ratio']:.2f}×" if fig["ratio"] is not None else "–"
        verdict = _verdict(name, fig) if judged else ""
        lines.append(f"{name:<28} {_fmt(fig['value']):>10} {_fmt(fig['floor']):>10} {ratio:>7}"
                     f"  {fig['unit']:<8} {verdict}")
    lines.append("")
    for key, value in meta.items():
        if isinstance(value, dict):
            value = ", ".join(f"{k}: {v:.3g}" if isinstance(v, float) else f"{k}: {v}"
                              for k, v in value.items())
        lines.append(f"{key:<28} {_fmt(value)}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--size", choices=sorted(SIZES), default="small")
    parser.add_argument("--json", metavar="FILE", help="also write the figures as JSON")
    parser.add_argument("--keep", metavar="DIR", help="build the corpus and project here")
    parser.add_argument("--pg-url", help=f"PostgreSQL server for the team part (default: ${PG_ENV})")
    parser.add_argument("--no-team", action="store_true", help="leave out the team part")
    parser.add_argument("--only", choices=("search",),
                        help="stop after the import and the search figures")
    args = parser.parse_args(argv)
    size = SIZES[args.size]
    started = time.perf_counter()
    team_part = not args.only and not args.no_team

    def measure(workdir: Path) -> tuple[dict[str, Any], dict[str, Any], str]:
        result = run(size, workdir, args.only)
        team, team_text = measure_team(workdir, args.pg_url) if team_part else ({}, "")
        return result, team, team_text

    if args.keep:
        workdir = Path(args.keep)
        workdir.mkdir(parents=True, exist_ok=True)
        result, team, team_text = measure(workdir)
    else:
        with tempfile.TemporaryDirectory(prefix="wb-bench-") as tmp:
            result, team, team_text = measure(Path(tmp))
    meta = result["meta"]
    meta["machine"] = (f"{platform.machine()}, {os.cpu_count()} cores, "
                       f"Python {platform.python_version()}")
    meta["load_average"] = os.getloadavg()[0] if hasattr(os, "getloadavg") else None
    meta["wall_s"] = time.perf_counter() - started
    print(report(result))
    if team_text:
        print(team_text)
    meta["team"] = team
    if args.json:
        out = Path(args.json)
        out.parent.mkdir(parents=True, exist_ok=True)
        payload = {**result["figures"], "meta": meta}
        out.write_text(json.dumps(payload, indent=2, ensure_ascii=False), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
