"""Production static files: every file the CSS refers to exists, so collectstatic succeeds."""

import re
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import override_settings

MANIFEST = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}


def test_collectstatic_with_the_production_storage_succeeds(tmp_path):
    # The manifest storage rewrites every url() in the CSS to a hashed name and fails
    # on a file that is missing, as production's deploy step would.
    with override_settings(STATIC_ROOT=tmp_path, STORAGES=MANIFEST):
        call_command("collectstatic", interactive=False, verbosity=0)
    css = next(tmp_path.glob("css/app.*.css")).read_text()
    assert "/static/govuk/assets/images/govuk-crest." in css
    assert "govuk-crest.svg)" not in css.replace('"', "")  # the hashed name is used
    assert list(tmp_path.glob("govuk/assets/images/govuk-crest.*.svg"))


@pytest.mark.parametrize("name", ["css/app.css", "js/govuk-frontend.min.js"])
def test_the_committed_build_output_is_there(name, settings):
    assert (settings.BASE_DIR / "static" / name).is_file()


@pytest.mark.django_db
def test_every_page_names_a_favicon_that_exists(client, settings):
    """Browsers showed a blank tab icon: no page named one."""
    page = client.get("/login/").content.decode()
    assert '<link rel="icon" href="/static/images/favicon.svg" type="image/svg+xml">' in page
    icon = settings.BASE_DIR / "static" / "images" / "favicon.svg"
    assert icon.read_text().startswith("<svg")


# The sources a table's classes and labels can come from: templates, the SCSS and the
# committed CSS built from it, the board pack's print CSS, and Python (django-tables2 attrs).
SOURCES = ("templates/**/*.html", "templates/**/*.txt", "static/src/*.scss", "static/css/*.css")
PYTHON_APPS = ("actions", "kpis", "boards", "risks", "spreadsheets", "bury_eis")
# The second stacking style that was merged into .eis-table-stack: a class, its label spans,
# its inline modifier and its breakpoint variable (eis-table-stack does not contain it).
OLD_STACK = re.compile(r"(?<![\w-])eis-stack")


def source_files(base: Path):
    for pattern in SOURCES:
        yield from base.glob(pattern)
    for app in PYTHON_APPS:
        yield from (base / app).rglob("*.py")


def test_wide_tables_have_one_stacking_style(settings):
    """Two styles once stacked a wide table on a narrow screen, at two widths, labelling
    cells in two ways: .eis-stack with label spans and .eis-table-stack with data-label.
    Only the second is left; the first must not come back."""
    found = [
        f"{path.relative_to(settings.BASE_DIR)}: {match.group(0)}"
        for path in source_files(settings.BASE_DIR)
        for match in OLD_STACK.finditer(path.read_text())
    ]
    assert not found, found


def media_blocks(css: str):
    """Each top-level @media block of compressed CSS: its query and its rules."""
    for match in re.finditer(r"@media([^{]*)\{", css):
        depth, end = 1, match.end()
        while depth:
            depth += {"{": 1, "}": -1}.get(css[end], 0)
            end += 1
        yield match.group(1).strip(), css[match.end() : end - 1]


def test_tables_stack_at_one_width_the_heatmap_included(settings):
    """The stacked rows, their labels and the heatmap's narrow layout all switch at GOV.UK's
    tablet breakpoint, in the committed CSS as built."""
    css = (settings.BASE_DIR / "static" / "css" / "app.css").read_text()
    queries = {
        query
        for query, rules in media_blocks(css)
        if ".eis-table-stack" in rules or ".eis-heatmap__sector{display:block" in rules
    }
    assert queries == {"(max-width: 40.0525em)"}
    rules = "".join(rules for query, rules in media_blocks(css) if query in queries)
    assert ".eis-table-stack>tbody>tr>td[data-label]::before{content:attr(data-label)" in rules


# A stacked table's body rows in a template, and each cell's opening tag in them.
STACKED_TABLE = re.compile(r"<table[^>]*\beis-table-stack\b[^>]*>(.*?)</table>", re.S)
CELL = re.compile(r"<td\b[^>]*>")


def test_every_cell_of_a_stacked_table_names_its_column(settings):
    """On a narrow screen a stacked cell shows its column's name from its data-label, so
    every body cell carries one (empty for a lone link such as "Review"); only a message
    spanning the row ("Nothing matches") has no column to name."""
    unlabelled = []
    for path in (settings.BASE_DIR / "templates").rglob("*.html"):
        for table in STACKED_TABLE.finditer(path.read_text()):
            body = table.group(1).partition("<tbody")[2]
            unlabelled += [
                f"{path.relative_to(settings.BASE_DIR)}: {cell}"
                for cell in CELL.findall(body)
                if "data-label=" not in cell and "colspan=" not in cell
            ]
    assert not unlabelled, unlabelled
