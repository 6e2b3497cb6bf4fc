"""Board packs as PDF: WeasyPrint renders our own HTML and may fetch only our static files.

WeasyPrint would otherwise follow any URL in the HTML or CSS (http(s)://, file://, ...), so a
stray or injected ``<img src>`` could make the server read local files or call other hosts.
Here every fetch goes through a fetcher that serves files under ``STATIC_URL`` from disk and
``data:`` URLs, and refuses everything else; WeasyPrint logs the refusal and renders without
that resource.
"""

from __future__ import annotations

import functools
import mimetypes
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import unquote, urljoin

from django.conf import settings
from django.contrib.staticfiles import finders

if TYPE_CHECKING:
    from weasyprint.urls import URLFetcher

# The made-up origin the HTML is rendered at (.invalid never resolves, RFC 2606), so that
# root-relative hrefs such as /static/css/app.css become absolute URLs that reach the fetcher.
BASE_URL = "https://eis.invalid/"


def html_to_pdf(html: str) -> bytes:
    """Render our own HTML to PDF. Only our static files may be fetched."""
    # Imported here: WeasyPrint loads Pango when imported, which is slow and fails where the
    # system libraries are missing; the rest of the site must not need them.
    import weasyprint

    document = weasyprint.HTML(string=html, base_url=BASE_URL, url_fetcher=static_url_fetcher())
    return document.write_pdf()


def static_url_fetcher() -> URLFetcher:
    """A WeasyPrint URL fetcher that serves only our static files and ``data:`` URLs."""
    return _fetcher_class()()


def static_file_for_url(url: str) -> Path:
    """The static file that ``url`` (under BASE_URL + STATIC_URL) names.

    Raises ValueError for any other URL, and for a static URL that names no file.
    """
    prefix = urljoin(BASE_URL, settings.STATIC_URL or "")
    bare = url.split("#", 1)[0].split("?", 1)[0]
    if not settings.STATIC_URL or not bare.startswith(prefix):
        raise ValueError(
            f"Refused to fetch {url!r}: a PDF may load only our static files "
            f"(under {settings.STATIC_URL}) and data: URLs"
        )
    name = unquote(bare.removeprefix(prefix))
    if "\\" in name or "\0" in name or any(part in ("", ".", "..") for part in name.split("/")):
        raise ValueError(f"Refused to fetch {url!r}: not a plain static file path")

    if settings.STATIC_ROOT:
        # Production: the collected files (whitenoise serves the same folder).
        root = Path(settings.STATIC_ROOT).resolve()
        path = (root / name).resolve()
        if not path.is_relative_to(root) or not path.is_file():
            raise ValueError(f"No static file {name!r} in STATIC_ROOT for {url!r}")
        return path
    # Development: straight from the app and project static folders.
    found = finders.find(name)
    if not found or not Path(found).is_file():
        raise ValueError(f"No static file {name!r} for {url!r}")
    return Path(found)


@functools.cache
def _fetcher_class() -> type[URLFetcher]:
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class StaticFilesURLFetcher(URLFetcher):
        def __init__(self) -> None:
            # The parent class handles only data: URLs; no network, no file://.
            super().__init__(allowed_protocols={"data"}, allow_redirects=False)

        def fetch(self, url: str, headers: dict | None = None) -> URLFetcherResponse:
            if url[:5].lower() == "data:":
                return super().fetch(url, headers)
            path = static_file_for_url(url)
            content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
            return URLFetcherResponse(url, path.read_bytes(), {"Content-Type": content_type})

    return StaticFilesURLFetcher
