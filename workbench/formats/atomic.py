"""Writing files safely: never a half-written file, and a clear message when it fails.

Every export goes through :func:`write_atomic`. Its temporary file (``.NAME.XXXXXXXX.tmp``
beside the target) holds the whole output while it is written, so it is removed on every
failure, when the program exits, and, should a killed program have left one, at the start
of the next export to the same folder. Output checks (:func:`add_output_check`) see the
bytes before anything is written and may refuse them.
"""

from __future__ import annotations

import atexit
import errno
import os
import re
import tempfile
from collections.abc import Callable
from pathlib import Path

from workbench.i18n import UserError


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


TEMP_NAME = re.compile(r"^\..+\.[A-Za-z0-9_]{8}\.tmp$")
"""The name ``tempfile.mkstemp(prefix=".NAME.", suffix=".tmp")`` gives."""

OutputCheck = Callable[[Path, bytes], None]
_CHECKS: dict[int, OutputCheck] = {}
_OPEN_TEMPS: set[str] = set()


def add_output_check(owner: object, check: OutputCheck) -> None:
    """Run ``check(path, data)`` before every file is written, until removed; it raises a
    :class:`UserError` to refuse the output."""
    _CHECKS[id(owner)] = check


def remove_output_check(owner: object) -> None:
    _CHECKS.pop(id(owner), None)


def remove_stale_temps(folder: Path) -> list[Path]:
    """Delete temporary files of :func:`write_atomic` that a killed program left in
    ``folder`` (not those this process is writing now)."""
    removed = []
    try:
        entries = list(Path(folder).iterdir())
    except OSError:
        return removed
    for entry in entries:
        if TEMP_NAME.match(entry.name) and str(entry) not in _OPEN_TEMPS and entry.is_file():
            try:
                entry.unlink()
                removed.append(entry)
            except OSError:
                pass
    return removed


@atexit.register
def _remove_own_temps() -> None:
    for name in list(_OPEN_TEMPS):
        try:
            os.unlink(name)
        except OSError:
            pass
        _OPEN_TEMPS.discard(name)


def write_atomic(path: Path, data: bytes) -> Path:
    """Write ``data`` to ``path`` through a temporary file in the same folder, then rename.

    On any failure the target is untouched and the temporary file is removed. Output
    checks run first; a refusal writes nothing.
    """
    path = Path(path)
    for check in list(_CHECKS.values()):
        check(path, data)
    folder = path.parent if str(path.parent) else Path(".")
    if path.is_dir():
        raise UserError("file.error.is_dir", path=path)
    if not folder.is_dir():
        raise UserError("file.error.no_folder", path=folder)
    remove_stale_temps(folder)
    tmp_name: str | None = None
    try:
        fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
        _OPEN_TEMPS.add(tmp_name)
        os.chmod(tmp_name, 0o666 & ~_umask())  # as an ordinary new file, not mkstemp's 0600
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp_name, path)
        tmp_name = None
    except PermissionError:
        raise UserError("file.error.permission", path=path) from None
    except OSError as exc:
        if exc.errno == errno.ENOSPC:
            raise UserError("file.error.disk_full", path=path) from None
        if exc.errno in (errno.EBUSY, errno.ETXTBSY, errno.EACCES):
            raise UserError("file.error.busy", path=path) from None
        raise UserError("file.error.other", path=path, detail=exc.strerror or str(exc)) from None
    finally:
        if tmp_name is not None:
            try:
                os.unlink(tmp_name)
            except OSError:
                pass
        for name in list(_OPEN_TEMPS):
            if not os.path.exists(name) or name == tmp_name:
                _OPEN_TEMPS.discard(name)
    return path
