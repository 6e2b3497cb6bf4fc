"""Production static files: every file the CSS refers to exists, so collectstatic succeeds."""

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
