"""The shared decoder and the shared ZIP safety check, on their own and as the transcript,
speaker-sheet and REFI readers use them."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest

from workbench.formats import archive
from workbench.formats.archive import SafeArchive, unsafe_member_name
from workbench.formats.decoding import DecodeError, decode
from workbench.formats.refi.reader import decode_text as refi_text
from workbench.formats.speaker_sheet import load_speaker_sheet
from workbench.formats.transcripts import parse_file
from workbench.formats.transcripts import reading
from workbench.i18n import UserError

TEXT = "Kari: «Håp» – æøå.\r\n"


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        (TEXT.encode("utf-8"), "utf-8"),
        (b"\xef\xbb\xbf" + TEXT.encode("utf-8"), "utf-8-sig"),
        (TEXT.encode("utf-16"), "utf-16"),
        (TEXT.encode("cp1252"), "cp1252"),
    ],
)
def test_decode_reads_every_encoding_as_written(data: bytes, encoding: str) -> None:
    decoded = decode(data)
    assert (decoded.text, decoded.encoding) == (TEXT, encoding)


def test_decode_says_where_it_fails() -> None:
    with pytest.raises(DecodeError) as err:
        decode("ab".encode() + b"\x81")  # undefined in Windows-1252 too
    assert (err.value.position, err.value.byte) == (2, "0x81")
    with pytest.raises(DecodeError) as err:
        decode(b"\xef\xbb\xbfab\xff")  # a BOM promises UTF-8: no guessing
    assert (err.value.position, err.value.byte) == (5, "0xFF")
    with pytest.raises(DecodeError) as err:
        decode("Håp".encode("cp1252"), legacy=False)
    assert err.value.position == 1


def test_readers_word_the_decoder_errors_themselves(tmp_path: Path) -> None:
    bad = b"Moderator: ja\x81\n"
    with pytest.raises(UserError) as err:
        reading.decode_text(bad, "x.txt")
    assert err.value.key == "import.error.undecodable"
    assert (err.value.params["byte"], err.value.params["position"]) == ("0x81", 13)
    with pytest.raises(UserError) as err:
        reading.decode_text(b"PK\x03\x04\x00\x00", "x.txt")
    assert err.value.key == "import.error.binary_file"
    sheet = tmp_path / "talere.csv"
    sheet.write_bytes(b"label,role\nKari\x81,informant\n")
    with pytest.raises(UserError) as err:
        load_speaker_sheet(sheet)
    assert err.value.key == "speakers.error.encoding"
    warnings: list[str] = []
    assert refi_text(b"ja\x81", "kilde.txt", warnings) == "ja\x81"  # never lost
    assert len(warnings) == 1
    warnings.clear()
    assert refi_text(TEXT.encode("cp1252"), "kilde.txt", warnings) == TEXT
    assert len(warnings) == 1 and "kilde.txt" in warnings[0]
    assert refi_text(TEXT.encode("utf-16"), "kilde.txt", warnings) == TEXT
    assert len(warnings) == 1


def test_a_speaker_sheet_in_utf16_is_read(tmp_path: Path) -> None:
    sheet = tmp_path / "talere.txt"
    sheet.write_bytes("label\trole\r\nKåre\tmoderator\r\n".encode("utf-16"))
    [speaker] = load_speaker_sheet(sheet)
    assert (speaker.label, speaker.role) == ("Kåre", "moderator")


def zip_bytes(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(zipfile.ZipInfo(name), data, compress_type=zipfile.ZIP_DEFLATED)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("name", "unsafe"),
    [("sources/a.txt", False), ("a..b.txt", False), ("../a.txt", True), ("a/../../b", True),
     ("/etc/passwd", True), ("C:\\x.txt", True), ("c:x", True), ("a\x00b", True)],
)
def test_unsafe_member_names(name: str, unsafe: bool) -> None:
    assert unsafe_member_name(name) is unsafe


def test_safe_archive_from_bytes_and_from_a_path(tmp_path: Path) -> None:
    data = zip_bytes({"Sources/A.txt": "hei".encode()})
    path = tmp_path / "a.zip"
    path.write_bytes(data)
    for source in (data, path):
        with SafeArchive(source, "a.zip", not_zip="exchange.error.not_zip") as zf:
            member = zf.find("sources/a.txt")
            assert member == "Sources/A.txt"
            assert zf.read(member) == b"hei" and zf.read_so_far == 3
    with pytest.raises(UserError) as err:
        SafeArchive(b"not a zip", "x.docx", not_zip="import.error.docx_invalid")
    assert err.value.key == "import.error.docx_invalid"
    with pytest.raises(UserError) as err:
        SafeArchive(data[: len(data) // 2], "x.odt", not_zip="import.error.odt_invalid")
    assert err.value.key == "import.error.odt_invalid"
    with pytest.raises(FileNotFoundError):
        SafeArchive(tmp_path / "finnes-ikke.zip", "finnes-ikke.zip", not_zip="x")


def test_limits_are_read_when_an_archive_is_opened(monkeypatch) -> None:
    data = zip_bytes({"a.txt": b"x" * 500, "b.txt": b"y" * 500})
    monkeypatch.setattr(archive, "MAX_MEMBERS", 1)
    with pytest.raises(UserError) as err:
        SafeArchive(data, "a.zip", not_zip="x")
    assert err.value.key == "archive.error.too_many_members"
    monkeypatch.setattr(archive, "MAX_MEMBERS", 10)
    with pytest.raises(UserError) as err:
        SafeArchive(data, "a.zip", not_zip="x", max_total=999)
    assert err.value.key == "archive.error.too_big"
    monkeypatch.setattr(archive, "MAX_MEMBER_SIZE", 499)
    with SafeArchive(data, "a.zip", not_zip="x") as zf, pytest.raises(UserError) as err:
        zf.read("a.txt")
    assert err.value.key == "archive.error.member_too_big"
    monkeypatch.setattr(archive, "MAX_MEMBER_SIZE", 1000)
    monkeypatch.setattr(archive, "MAX_READ_SIZE", 999)
    with SafeArchive(data, "a.zip", not_zip="x") as zf:
        zf.read("a.txt")
        with pytest.raises(UserError) as err:
            zf.read("b.txt")
    assert err.value.key == "archive.error.too_big"


def test_word_and_opendocument_files_get_the_same_safety_check(tmp_path: Path, monkeypatch) -> None:
    for suffix in (".docx", ".odt"):
        path = tmp_path / f"farlig{suffix}"
        path.write_bytes(zip_bytes({"content.xml": b"<x/>", "../../utenfor.txt": b"x"}))
        with pytest.raises(UserError) as err:
            parse_file(path)
        assert err.value.key == "archive.error.unsafe_path"
        assert "../../utenfor.txt" in str(err.value)
        bomb = tmp_path / f"bombe{suffix}"
        bomb.write_bytes(zip_bytes({"content.xml": b"\0" * (3 * 1024 * 1024)}))
        with pytest.raises(UserError) as err:
            parse_file(bomb)
        assert err.value.key == "archive.error.zip_bomb"
    monkeypatch.setattr(reading, "MAX_UNPACKED_BYTES", 1000)
    big = tmp_path / "stor.docx"
    big.write_bytes(zip_bytes({"word/document.xml": b"<w/>" * 300}))
    with pytest.raises(UserError) as err:
        parse_file(big)
    assert err.value.key == "archive.error.too_big"
