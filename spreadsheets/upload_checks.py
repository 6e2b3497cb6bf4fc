"""Checks an uploaded plan workbook's raw bytes before openpyxl is allowed to open it.

Anything hostile (zip bombs, path traversal) or simply wrong (an old .xls, a CSV renamed
to .xlsx, a file cut off in transfer) is refused with PlanFileError and a message a
council admin can act on. Sizes come only from the zip's central directory: no member is
inflated to find out how big it is. Python's zipfile (which openpyxl reads through) never
inflates a member past its declared size, so the declared sizes are a real ceiling.
"""

import hashlib
import io
import re
import struct
import zipfile
import zlib
from dataclasses import dataclass


class PlanFileError(Exception):
    """The file could not be taken in; `problems` says what and where, one per line."""

    def __init__(self, problems: list[str]):
        super().__init__("\n".join(problems))
        self.problems = problems


MB = 1024 * 1024
OLE2_SIGNATURE = bytes.fromhex("D0CF11E0A1B11AE1")
ZIP_SIGNATURE = b"PK\x03\x04"
CONTENT_TYPES = "[Content_Types].xml"
WORKBOOK_PART = "xl/workbook.xml"
# [Content_Types].xml is a few KB in any real workbook; never inflate more than this of it.
CONTENT_TYPES_READ_LIMIT = 1 * MB
SAVE_AS_XLSX = "Open it in Excel, save it as an Excel Workbook (.xlsx) and upload that."
MACROS_WARNING = "The workbook contains macros; they were ignored and never run."
LINKS_WARNING = (
    "The workbook links to other workbooks; those links were not followed, "
    "so only the values saved in this file were read."
)
# Members a zip reader can always handle; Excel itself only ever writes these two.
KNOWN_COMPRESSION = {zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED}
ZIP_ERRORS = (zipfile.BadZipFile, zlib.error, struct.error, OSError, EOFError, ValueError)


@dataclass(frozen=True)
class UploadLimits:
    """How large, how compressed and how many-parted an upload may be."""

    max_bytes: int = 10 * MB  # the file itself
    max_uncompressed: int = 200 * MB  # sum of declared uncompressed member sizes
    max_ratio: int = 200  # declared uncompressed / compressed, per member (zip bomb)
    max_members: int = 10_000


DEFAULT_LIMITS = UploadLimits()


def sha256_hex(data: bytes) -> str:
    """The SHA-256 of `data` as 64 lowercase hex digits."""
    return hashlib.sha256(data).hexdigest()


def workbook_upload_check(
    data: bytes, *, name: str, limits: UploadLimits = DEFAULT_LIMITS
) -> list[str]:
    """Refuse (raise PlanFileError) what is not a safe .xlsx; return warnings for what is accepted.

    Only the zip directory is read until every size check has passed; after that, at most
    the first CONTENT_TYPES_READ_LIMIT bytes of [Content_Types].xml are inflated.
    """
    _refuse(_raw_problems(data, name, limits))
    archive = _open_zip(data, name)
    with archive:
        members = archive.infolist()
        _refuse(_directory_problems(members, len(data), name, limits))
        names = {member.filename for member in members}
        _refuse(_kind_problems(names, name))
        return _warnings(archive, names, name)


def _refuse(problems: list[str]) -> None:
    """Raise PlanFileError if any problem was found."""
    if problems:
        raise PlanFileError(problems)


def _size(n: int) -> str:
    """`n` bytes in MB, to one decimal place; tiny sizes in KB so they never read "0 MB"."""
    if n < MB // 10:
        return f"{max(1, round(n / 1024))} KB"
    return f"{n / MB:.1f}".removesuffix(".0") + " MB"


def _raw_problems(data: bytes, name: str, limits: UploadLimits) -> list[str]:
    if not data:
        return [
            f'"{name}" is empty (0 bytes). Check you chose the right file; '
            f"if it opens in Excel, save it again as an Excel Workbook (.xlsx) and upload that."
        ]
    if len(data) > limits.max_bytes:
        return [
            f'"{name}" is {_size(len(data))}, which is over the {_size(limits.max_bytes)} limit. '
            "Remove anything that is not part of the delivery plan (such as pictures or extra "
            "sheets), save it as an Excel Workbook (.xlsx) and upload that."
        ]
    if data.startswith(OLE2_SIGNATURE):
        return [
            f'"{name}" is either a password-protected workbook or an old-style Excel 97-2003 '
            "workbook (.xls), which cannot be read. If it has a password, open it in Excel, "
            "remove the password (File > Info > Protect Workbook > Encrypt with Password, then "
            "clear the password) and save it. If it is an old .xls file, save it as an Excel "
            "Workbook (.xlsx). Then upload that."
        ]
    # The extension says nothing about the content; only the bytes are trusted.
    if not data.startswith(ZIP_SIGNATURE):
        return [f'"{name}" is not an Excel workbook (.xlsx): {_what_it_is(data)} {SAVE_AS_XLSX}']
    return []


def _what_it_is(data: bytes) -> str:
    """A plain-English guess at what a file that is not a zip actually contains."""
    head = data[:1024].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if head.startswith(b"%pdf"):
        return "it is a PDF document."
    if head.startswith((b"<!doctype html", b"<html")) or b"<html" in head[:256]:
        return "it is a web page (HTML), perhaps downloaded from a website and renamed."
    if head.startswith(b"<?xml"):
        return "it is an XML file (perhaps an old Excel 2003 XML spreadsheet)."
    text = _as_text(data[:4096])
    if text is not None:
        first_line = text.splitlines()[0] if text.strip() else ""
        if any(sep in first_line for sep in ",;\t"):
            return "it looks like a CSV or text file that has been renamed to .xlsx."
        return "it looks like a plain text file that has been renamed to .xlsx."
    return "its contents are not in the Excel format, whatever its name says."


def _as_text(sample: bytes) -> str | None:
    """`sample` decoded if it is plausibly text (UTF-8, UTF-16 with BOM or Latin-1), else None."""
    if sample.startswith((b"\xff\xfe", b"\xfe\xff")):
        return sample.decode("utf-16", errors="replace")
    if b"\x00" in sample:
        return None
    # A multi-byte character may be cut at the end of the sample, so decode leniently.
    text = sample.decode("utf-8", errors="replace")
    if text.count("\ufffd") > 2:
        text = sample.decode("latin-1")
    printable = sum(ch.isprintable() or ch in "\r\n\t" for ch in text)
    return text if printable >= 0.95 * len(text) else None


def _damaged(name: str) -> str:
    return (
        f'"{name}" is damaged and cannot be opened; it may have been cut off while it was '
        f"being copied, downloaded or uploaded. Check the original opens in Excel, save it "
        f"again as an Excel Workbook (.xlsx) and upload that."
    )


def _open_zip(data: bytes, name: str) -> zipfile.ZipFile:
    """Read the zip's central directory (not its members), refusing a file that is cut off."""
    try:
        return zipfile.ZipFile(io.BytesIO(data))
    except ZIP_ERRORS:
        raise PlanFileError([_damaged(name)]) from None


def _directory_problems(
    members: list[zipfile.ZipInfo], size: int, name: str, limits: UploadLimits
) -> list[str]:
    """Everything wrong with the zip that its directory alone reveals; no member is read."""
    if len(members) > limits.max_members:
        return [
            f'"{name}" has {len(members):,} parts, too many parts for a delivery plan (the '
            f"limit is {limits.max_members:,}). It may be damaged or deliberately harmful. "
            f"{SAVE_AS_XLSX}"
        ]
    problems = [_unsafe_name_problem(name, m.filename) for m in members if _unsafe(m.filename)]
    if _inconsistent(members, size):
        problems.append(_damaged(name))
    problems += _bomb_problems(members, name, limits)
    return problems


def _unsafe(member: str) -> bool:
    """Whether a member name could write outside the folder it is unpacked into."""
    path = member.replace("\\", "/")
    return (
        path.startswith("/") or re.match(r"^[A-Za-z]:", path) is not None or ".." in path.split("/")
    )


def _unsafe_name_problem(name: str, member: str) -> str:
    shown = member if len(member) <= 80 else member[:77] + "..."
    return (
        f'"{name}" contains a part with an unsafe name ("{shown}") that points outside the '
        "workbook. Excel never saves files like this, so the file has been tampered with or "
        f"damaged. {SAVE_AS_XLSX}"
    )


def _inconsistent(members: list[zipfile.ZipInfo], size: int) -> bool:
    """Whether the directory contradicts itself or the file, as it does when cut or corrupted."""
    names = [m.filename for m in members]
    return (
        len(set(names)) != len(names)  # two parts with one name: readers may disagree on which
        or any(m.header_offset + m.compress_size > size for m in members)
        or any(m.flag_bits & 0x1 for m in members)  # zip encryption; Excel never uses it
        or any(m.compress_type not in KNOWN_COMPRESSION for m in members)
    )


def _bomb_problems(members: list[zipfile.ZipInfo], name: str, limits: UploadLimits) -> list[str]:
    """Refuse a zip bomb from its declared sizes alone."""
    harmful = "It may be damaged or deliberately harmful (a 'zip bomb')."
    total = sum(m.file_size for m in members)
    if total > limits.max_uncompressed:
        return [
            f'"{name}" would expand to {_size(total)} when opened, over the '
            f"{_size(limits.max_uncompressed)} limit. {harmful} {SAVE_AS_XLSX}"
        ]
    # compress_size 0 with content is impossible for honest data, so count it as 1 byte.
    squeezed = [m for m in members if m.file_size / max(m.compress_size, 1) > limits.max_ratio]
    if squeezed:
        return [
            f'"{name}" has a part ("{squeezed[0].filename[:80]}") that is compressed far more '
            f"than a real workbook ever is. {harmful} {SAVE_AS_XLSX}"
        ]
    return []


def _kind_problems(names: set[str], name: str) -> list[str]:
    """Refuse a zip that is some other kind of document, or no document at all."""
    if CONTENT_TYPES in names and WORKBOOK_PART in names:
        return []
    if "word/document.xml" in names:
        kind = "a Word document"
    elif "ppt/presentation.xml" in names:
        kind = "a PowerPoint presentation"
    elif "xl/workbook.bin" in names:
        kind = "an Excel Binary Workbook (.xlsb), which cannot be read"
    elif "mimetype" in names and "content.xml" in names:
        kind = "an OpenDocument file (such as a LibreOffice .ods spreadsheet)"
    else:
        kind = "a zip file that does not contain a workbook"
    return [f'"{name}" is not an Excel workbook (.xlsx): it is {kind}. {SAVE_AS_XLSX}']


def _warnings(archive: zipfile.ZipFile, names: set[str], name: str) -> list[str]:
    """Warnings for an accepted workbook; reads (part of) [Content_Types].xml only."""
    lowered = {n.lower() for n in names}  # part names are case-insensitive in Office files
    warnings = []
    if "xl/vbaproject.bin" in lowered or b"macroenabled" in _content_types(archive, name):
        warnings.append(MACROS_WARNING)
    if any(n.startswith("xl/externallinks/") for n in lowered):
        warnings.append(LINKS_WARNING)
    return warnings


def _content_types(archive: zipfile.ZipFile, name: str) -> bytes:
    """The start of [Content_Types].xml, lowercased; refuse the file if it cannot be read."""
    try:
        with archive.open(CONTENT_TYPES) as part:
            return part.read(CONTENT_TYPES_READ_LIMIT).lower()
    except (*ZIP_ERRORS, RuntimeError, NotImplementedError):
        raise PlanFileError([_damaged(name)]) from None
