"""The app killed mid-session (SIGKILL, no chance to clean up) loses no completed action."""

from __future__ import annotations

import fcntl
import os
import pty
import signal
import sqlite3
import struct
import subprocess
import sys
import termios
import threading
import time
from pathlib import Path

import pytest

from workbench.services import Workbench

from tests.conftest import sample_parsed


def _codings(path: Path) -> list[tuple[int, int, str]]:
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return con.execute(
            "SELECT coding.start, coding.\"end\", code.name FROM coding "
            "JOIN code ON code.id = coding.code_id ORDER BY coding.id"
        ).fetchall()
    finally:
        con.close()


def _wait(predicate, seconds: float = 30.0) -> bool:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.2)
    return False


@pytest.mark.skipif(sys.platform == "win32", reason="needs a POSIX pseudo-terminal")
def test_killed_app_keeps_every_completed_action(tmp_path: Path):
    path = tmp_path / "studie.wbp"
    with Workbench.create(path) as wb:
        wb.transcripts.add_parsed(sample_parsed(), name="fg1", group="Ledere")

    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 45, 150, 0, 0))
    env = {**os.environ, "TERM": "xterm-256color", "TEXTUAL_ANIMATIONS": "none"}
    exe = Path(sys.executable).with_name("workbench")
    proc = subprocess.Popen(
        [str(exe), "open", str(path)], stdin=slave, stdout=slave, stderr=slave, env=env,
        start_new_session=True,
    )
    os.close(slave)
    screen = bytearray()

    def drain() -> None:  # the app blocks if nobody reads what it draws
        while True:
            try:
                data = os.read(master, 65536)
            except OSError:
                return
            if not data:
                return
            screen.extend(data)

    reader = threading.Thread(target=drain, daemon=True)
    reader.start()

    def send(keys: str, pause: float = 0.6) -> None:
        os.write(master, keys.encode("utf-8"))
        time.sleep(pause)

    try:
        assert _wait(lambda: b"fg1" in screen), "the home screen never appeared"
        send("\r", 2.0)  # open the transcript
        send("n")  # to the moderator's first turn
        send("t")  # select the turn
        send("c", 1.0)  # the code picker
        send("første kode")
        send("\r")
        assert _wait(lambda: len(_codings(path)) == 1)
        send("n")
        send("t")
        send("c", 1.0)
        send("andre kode")
        send("\r")
        assert _wait(lambda: len(_codings(path)) == 2)
    finally:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)
        os.close(master)

    assert [name for _s, _e, name in _codings(path)] == ["første kode", "andre kode"]
    con = sqlite3.connect(path)
    try:
        assert con.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    finally:
        con.close()
    with Workbench.open(path) as wb:  # and the file opens and undoes as usual
        assert wb.undo().name == "coding.add"
        assert len(wb.codes.codings()) == 1
