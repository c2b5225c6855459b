"""Writing files safely: never a half-written file, and a clear message when it fails."""

from __future__ import annotations

import errno
import os
import tempfile
from pathlib import Path

from workbench.i18n import UserError


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write_atomic(path: Path, data: bytes) -> Path:
    """Write ``data`` to ``path`` through a temporary file in the same folder, then rename.

    On any failure the target is untouched and the temporary file is removed.
    """
    path = Path(path)
    folder = path.parent if str(path.parent) else Path(".")
    if path.is_dir():
        raise UserError("file.error.is_dir", path=path)
    if not folder.is_dir():
        raise UserError("file.error.no_folder", path=folder)
    tmp_name: str | None = None
    try:
        fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
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
    return path
