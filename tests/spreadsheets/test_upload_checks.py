import hashlib
import io
import zipfile

import pytest
from openpyxl import Workbook

from spreadsheets.upload_checks import (
    LINKS_WARNING,
    MACROS_WARNING,
    OLE2_SIGNATURE,
    PlanFileError,
    UploadLimits,
    sha256_hex,
    workbook_upload_check,
)

MB = 1024 * 1024


def good_xlsx() -> bytes:
    book = Workbook()
    book.active.append(["Commitment no", "KPI"])
    book.active.append([1, "% feeling safe"])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def crafted_zip(members: dict[str, bytes], base: bytes | None = None) -> bytes:
    """A zip with `members`, added to a copy of the zip `base` if one is given."""
    out = io.BytesIO(base or b"")
    with zipfile.ZipFile(out, "a" if base else "w", zipfile.ZIP_DEFLATED) as archive:
        for member, content in members.items():
            archive.writestr(member, content)
    return out.getvalue()


def refusal(data: bytes, name: str = "plan.xlsx", **limits: int) -> str:
    with pytest.raises(PlanFileError) as caught:
        workbook_upload_check(data, name=name, limits=UploadLimits(**limits))
    return "\n".join(caught.value.problems)


def test_it_accepts_a_good_workbook_without_warnings():
    assert workbook_upload_check(good_xlsx(), name="plan.xlsx") == []


def test_it_refuses_an_empty_file():
    message = refusal(b"")
    assert '"plan.xlsx" is empty (0 bytes)' in message


def test_it_refuses_a_file_over_the_size_limit_saying_both_sizes_in_mb():
    message = refusal(b"PK\x03\x04" + b"\x00" * (3 * MB), max_bytes=2 * MB)
    assert '"plan.xlsx" is 3 MB, which is over the 2 MB limit' in message


def test_it_refuses_an_old_xls_or_encrypted_workbook():
    message = refusal(OLE2_SIGNATURE + b"\x00" * 512, name="plan.xls")
    assert '"plan.xls" is either a password-protected workbook or an old-style' in message
    assert "remove the password" in message
    assert "save it as an Excel Workbook (.xlsx)" in message


def test_it_refuses_a_csv_renamed_to_xlsx():
    message = refusal(b"Commitment no,KPI\n1,% feeling safe\n")
    assert "it looks like a CSV or text file" in message
    assert "save it as an Excel Workbook (.xlsx) and upload that" in message


@pytest.mark.parametrize(
    ("data", "phrase"),
    [
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "it is a PDF document"),
        (b"<!DOCTYPE html><html><body>Sign in</body></html>", "it is a web page (HTML)"),
        (bytes(range(256)) * 4, "its contents are not in the Excel format"),
    ],
)
def test_it_refuses_other_files_that_are_not_zips_whatever_their_name(data, phrase):
    message = refusal(data)
    assert '"plan.xlsx" is not an Excel workbook (.xlsx)' in message
    assert phrase in message


def test_it_refuses_a_workbook_cut_off_in_transfer():
    data = good_xlsx()
    message = refusal(data[: len(data) // 2])
    assert '"plan.xlsx" is damaged' in message
    assert "cut off" in message


def test_it_refuses_a_zip_whose_directory_points_past_the_end_of_the_file():
    data = bytearray(good_xlsx())
    directory = data.rfind(b"PK\x01\x02")
    # Move the last member's local-header offset (at byte 42 of its entry) beyond the file.
    data[directory + 42 : directory + 46] = (len(data) * 2).to_bytes(4, "little")
    assert '"plan.xlsx" is damaged' in refusal(bytes(data))


def test_it_refuses_a_word_document():
    docx = crafted_zip({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w/>"})
    message = refusal(docx, name="plan.docx")
    assert '"plan.docx" is not an Excel workbook (.xlsx): it is a Word document' in message


def test_it_refuses_a_zip_that_holds_no_workbook():
    message = refusal(crafted_zip({"notes.txt": b"hello"}))
    assert "it is a zip file that does not contain a workbook" in message


def test_it_refuses_a_zip_bomb_by_its_compression_ratio():
    bomb = crafted_zip({"[Content_Types].xml": b"<Types/>", "xl/workbook.xml": b"\0" * 5 * MB})
    message = refusal(bomb)
    assert '"plan.xlsx" has a part ("xl/workbook.xml") that is compressed far more' in message
    assert "zip bomb" in message


def test_it_refuses_a_zip_bomb_without_reading_any_member(monkeypatch):
    bomb = crafted_zip({"[Content_Types].xml": b"<Types/>", "xl/workbook.xml": b"\0" * 5 * MB})

    def no_reading(*args, **kwargs):
        raise AssertionError("member data was read")

    monkeypatch.setattr(zipfile.ZipFile, "open", no_reading)
    monkeypatch.setattr(zipfile.ZipFile, "read", no_reading)
    assert "compressed far more" in refusal(bomb)


def test_it_refuses_a_workbook_that_would_expand_past_the_total_limit():
    message = refusal(good_xlsx(), max_uncompressed=4096)
    assert '"plan.xlsx" would expand to' in message
    assert "over the 4 KB limit" in message


def test_it_refuses_a_zip_with_too_many_parts():
    message = refusal(good_xlsx(), max_members=3)
    assert "too many parts for a delivery plan" in message


@pytest.mark.parametrize("member", ["../../etc/cron.d/evil", "/etc/passwd", "xl\\..\\..\\evil"])
def test_it_refuses_a_part_whose_name_points_outside_the_workbook(member):
    message = refusal(crafted_zip({member: b"x"}, base=good_xlsx()))
    assert "contains a part with an unsafe name" in message


def test_it_accepts_a_macro_workbook_and_warns_the_macros_were_not_run():
    xlsm = crafted_zip({"xl/vbaProject.bin": b"\xd0\xcf\x11\xe0 not really vba"}, good_xlsx())
    assert workbook_upload_check(xlsm, name="plan.xlsm") == [MACROS_WARNING]
    assert "they were ignored and never run" in MACROS_WARNING


def test_it_spots_macros_from_the_content_type_alone():
    types = (
        b'<Types><Override PartName="/xl/workbook.xml" ContentType="application/'
        b'vnd.ms-excel.sheet.macroEnabled.main+xml"/></Types>'
    )
    xlsm = crafted_zip({"[Content_Types].xml": types, "xl/workbook.xml": b"<workbook/>"})
    assert workbook_upload_check(xlsm, name="plan.xlsm") == [MACROS_WARNING]


def test_it_accepts_external_links_and_warns_they_were_not_followed():
    linked = crafted_zip({"xl/externalLinks/externalLink1.xml": b"<externalLink/>"}, good_xlsx())
    assert workbook_upload_check(linked, name="plan.xlsx") == [LINKS_WARNING]
    assert "links to other workbooks; those links were not followed" in LINKS_WARNING


def test_sha256_hex_is_the_lowercase_hex_digest():
    assert sha256_hex(b"plan") == hashlib.sha256(b"plan").hexdigest()
    assert len(sha256_hex(b"")) == 64
