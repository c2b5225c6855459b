"""Export temp files: a killed export's leftover goes at the next export; output checks
refuse before anything is written."""

from __future__ import annotations

import pytest

from workbench.formats import atomic
from workbench.formats.atomic import add_output_check, remove_output_check, write_atomic
from workbench.i18n import UserError


def test_a_killed_exports_temp_file_is_removed_by_the_next_export(tmp_path):
    stale = tmp_path / ".rapport.docx.k1ll3d00.tmp"
    stale.write_bytes(b"the whole report")
    other = tmp_path / ".notes.tmp"  # not ours: kept
    other.write_text("x")
    write_atomic(tmp_path / "segmenter.csv", b"a,b\n")
    assert sorted(p.name for p in tmp_path.iterdir()) == [".notes.tmp", "segmenter.csv"]


def test_temp_files_of_this_process_go_at_exit(tmp_path):
    leftover = tmp_path / ".x.docx.abcdefgh.tmp"
    leftover.write_bytes(b"half")
    atomic._OPEN_TEMPS.add(str(leftover))
    atomic._remove_own_temps()
    assert not leftover.exists()


def test_an_output_check_refuses_before_anything_is_written(tmp_path):
    owner = object()

    def refuse(path, data):
        if b"Kari" in data:
            raise UserError("privacy.error.readonly")

    add_output_check(owner, refuse)
    try:
        with pytest.raises(UserError):
            write_atomic(tmp_path / "ut.csv", b"Kari,1\n")
        assert list(tmp_path.iterdir()) == []
        write_atomic(tmp_path / "ut.csv", b"Leder 1,1\n")
    finally:
        remove_output_check(owner)
    assert (tmp_path / "ut.csv").read_bytes() == b"Leder 1,1\n"
