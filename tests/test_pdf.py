"""Board-pack PDFs: WeasyPrint renders our HTML and may fetch only our static files."""

import contextlib
import re
import zlib
from pathlib import Path

import pytest
from django.conf import settings
from django.test import override_settings

from bury_eis import pdf

STATIC_CSS = Path(settings.BASE_DIR) / "static" / "css" / "app.css"


@pytest.fixture(autouse=True)
def development_static_files(settings):
    """Static files come through the finders (as in development) unless a test sets a root."""
    settings.STATIC_ROOT = None


def pdf_text(data: bytes) -> bytes:
    """The PDF with every compressed stream inflated, to search for strings in it."""
    parts = [data]
    for match in re.finditer(rb"stream\r?\n", data):
        with contextlib.suppress(zlib.error):  # not a compressed stream
            parts.append(zlib.decompressobj().decompress(data[match.end() :]))
    return b"\n".join(parts)


def page_count(html: str) -> int:
    import weasyprint

    document = weasyprint.HTML(
        string=html, base_url=pdf.BASE_URL, url_fetcher=pdf.static_url_fetcher()
    )
    return len(document.render().pages)


def test_returns_a_pdf_with_the_documents_text():
    html = (
        "<html lang='en'><head><title>Board pack, spring term</title></head>"
        "<body><h1>Delivery plan summary</h1><p>Attendance ≥ 95%</p></body></html>"
    )

    data = pdf.html_to_pdf(html)

    assert data.startswith(b"%PDF-")
    text = pdf_text(data)
    # The title goes into the document information, each heading into a bookmark.
    assert b"(Board pack, spring term)" in text
    assert b"(Delivery plan summary)" in text
    assert b"/Lang (en)" in text


def test_same_html_gives_the_same_bytes():
    html = "<h1>Board pack</h1><p>No creation date is stamped in.</p>"
    assert pdf.html_to_pdf(html) == pdf.html_to_pdf(html)


def test_arial_is_rendered_with_an_arial_metric_font():
    # `make system` installs fonts-liberation; without it this would fall back to DejaVu.
    text = pdf_text(pdf.html_to_pdf('<p style="font-family: arial, sans-serif">Bury</p>'))
    assert re.search(rb"/BaseFont\s*/[A-Z]{6}\+Liberation-?Sans", text)


def test_inline_svg_renders():
    html = (
        "<h2>Attendance by term</h2>"
        '<svg xmlns="http://www.w3.org/2000/svg" width="300" height="120" role="img">'
        '<rect x="10" y="20" width="40" height="90" fill="#1d70b8"/>'
        '<rect x="60" y="50" width="40" height="60" fill="#f47738"/>'
        '<text x="10" y="15" font-size="12">Autumn</text></svg>'
    )
    assert page_count(html) == 1
    assert pdf.html_to_pdf(html).startswith(b"%PDF-")


def test_stylesheet_link_is_fetched_through_the_fetcher(monkeypatch):
    asked = []
    real = pdf.static_file_for_url

    def spy(url):
        asked.append(url)
        return real(url)

    monkeypatch.setattr(pdf, "static_file_for_url", spy)
    html = '<link rel="stylesheet" href="/static/css/app.css"><p class="govuk-body">Hi</p>'

    assert pdf.html_to_pdf(html).startswith(b"%PDF-")
    assert f"{pdf.BASE_URL}static/css/app.css" in asked


def test_stylesheet_from_static_root_is_applied(tmp_path):
    (tmp_path / "css").mkdir()
    (tmp_path / "css" / "pack.css").write_text("section + section { break-before: page }")
    html = "<link rel='stylesheet' href='/static/css/pack.css'><section>1</section><section>2"

    with override_settings(STATIC_ROOT=tmp_path):
        assert page_count(html) == 2
    # Without the stylesheet (not in the default static folders) both fit on one page.
    assert page_count(html) == 1


def test_static_svg_image_loads(tmp_path, caplog):
    (tmp_path / "chart.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" width="50" height="20">'
        '<rect width="50" height="20" fill="#00703c"/></svg>'
    )
    with override_settings(STATIC_ROOT=tmp_path):
        data = pdf.html_to_pdf('<img src="/static/chart.svg" alt="Chart">')

    assert data.startswith(b"%PDF-")
    assert not [r for r in caplog.records if r.levelname == "ERROR"]


def test_fetcher_serves_static_files_with_their_type():
    fetcher = pdf.static_url_fetcher()

    response = fetcher.fetch(f"{pdf.BASE_URL}static/css/app.css?v=3#top")

    assert response.content_type == "text/css"
    assert response.read() == STATIC_CSS.read_bytes()
    response.close()


def test_fetcher_allows_data_urls():
    response = pdf.static_url_fetcher().fetch("data:text/css,p%7Bcolor:red%7D")
    assert response.read() == b"p{color:red}"
    response.close()


@pytest.mark.parametrize(
    "url",
    [
        "http://example.com/x.png",
        "https://example.com/static/css/app.css",
        "http://169.254.169.254/latest/meta-data/",
        "file:///etc/passwd",
        "ftp://example.com/x.png",
        f"{pdf.BASE_URL}etc/passwd",
        f"{pdf.BASE_URL}bury_eis/settings.py",
        "https://eis.invalid.example.com/static/css/app.css",
        f"{pdf.BASE_URL}static/../bury_eis/settings.py",
        f"{pdf.BASE_URL}static/%2e%2e/bury_eis/settings.py",
        f"{pdf.BASE_URL}static/css/..%2F..%2F..%2Fbury_eis%2Fsettings.py",
        f"{pdf.BASE_URL}static/%2Fetc%2Fpasswd",
        f"{pdf.BASE_URL}static/css/",
    ],
)
def test_fetcher_refuses_everything_else(url):
    with pytest.raises(ValueError, match="Refused to fetch"):
        pdf.static_url_fetcher().fetch(url)


def test_fetcher_reports_a_missing_static_file():
    with pytest.raises(ValueError, match=re.escape("No static file 'css/missing.css'")):
        pdf.static_url_fetcher().fetch(f"{pdf.BASE_URL}static/css/missing.css")


def test_fetcher_refuses_a_symlink_out_of_static_root(tmp_path):
    (tmp_path / "passwd.css").symlink_to("/etc/passwd")
    with override_settings(STATIC_ROOT=tmp_path), pytest.raises(ValueError, match="No static"):
        pdf.static_url_fetcher().fetch(f"{pdf.BASE_URL}static/passwd.css")


def test_refused_resources_are_skipped_and_the_pdf_still_renders(caplog):
    html = (
        "<p>Before</p>"
        '<img src="http://example.com/x.png" alt="">'
        '<img src="file:///etc/passwd" alt="">'
        '<link rel="stylesheet" href="https://example.com/evil.css">'
        "<p>After</p>"
    )

    data = pdf.html_to_pdf(html)

    assert data.startswith(b"%PDF-")
    refused = [r.getMessage() for r in caplog.records if "Refused to fetch" in r.getMessage()]
    assert any("http://example.com/x.png" in message for message in refused)
    assert any("file:///etc/passwd" in message for message in refused)
    assert any("https://example.com/evil.css" in message for message in refused)


def test_pack_tables_keep_every_heading_inside_its_column():
    """The pack's tables use a fixed layout (fast); a long heading must wrap, not overlap."""
    groups = [
        "Disadvantaged",
        "SEND support",
        "EHCP",
        "England",
        "North West",
        "Statistical neighbours",
    ]
    heads = "".join(f'<th scope="col" class="govuk-table__header">{g}</th>' for g in groups)
    html = (
        f'<link rel="stylesheet" href="/static/css/pack-print.css">'
        f'<table class="govuk-table eis-trend__table eis-trend__table--figures"><thead><tr>'
        f'<th scope="col">Term</th><th scope="col">Bury</th>{heads}'
        f'<th scope="col">Period the figure describes</th></tr></thead>'
        f'<tbody><tr><th scope="row">Autumn 2025</th><td>65.0%</td>'
        + "<td>51.5%</td>" * len(groups)
        + "<td>2024/25 academic year</td></tr></tbody></table>"
    )
    import weasyprint

    page = (
        weasyprint.HTML(string=html, base_url=pdf.BASE_URL, url_fetcher=pdf.static_url_fetcher())
        .render()
        .pages[0]
    )
    cells = [box for box in page._page_box.descendants() if type(box).__name__ == "TableCellBox"]
    assert len(cells) == 2 * (3 + len(groups))
    for cell in cells:
        right = cell.content_box_x() + cell.width
        for box in cell.descendants():
            if type(box).__name__ == "TextBox":
                assert box.position_x + box.width <= right + 0.01, (box.text, right)
