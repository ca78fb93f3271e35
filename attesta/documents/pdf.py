"""PDF rendering: a Django template rendered to HTML, then printed by WeasyPrint.

Rendering never touches the network: the URL fetcher accepts only `data:` URLs and `file:`
URLs inside the project's own files (templates, static sources, collected static files).
Anything else stops the rendering with `PrintResourceError`, so that a document never goes
out silently missing a logo or a stylesheet.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit
from urllib.request import url2pathname

from django.conf import settings
from django.template.loader import render_to_string
from weasyprint import HTML
from weasyprint.urls import FatalURLFetchingError, URLFetcher, URLFetcherResponse


class PrintResourceError(RuntimeError):
    """A resource referenced by a printed document was refused or could not be read."""


class _RefusedURL(FatalURLFetchingError):
    """Raised inside WeasyPrint; fatal errors are the only ones that stop its rendering."""


def local_roots() -> tuple[Path, ...]:
    """Directories from which a printed document may read files."""
    base = Path(settings.BASE_DIR)
    return (base / "attesta").resolve(), Path(settings.STATIC_ROOT).resolve()


class LocalURLFetcher(URLFetcher):
    """Serves `data:` URLs and files under `roots`; refuses everything else before any I/O."""

    def __init__(self, roots: tuple[Path, ...]) -> None:
        super().__init__(
            allowed_protocols=("data", "file"), allow_redirects=False, fail_on_errors=True
        )
        self.roots = roots

    def fetch(self, url: str, headers: dict[str, str] | None = None) -> URLFetcherResponse:
        scheme = url.partition(":")[0].lower()
        if scheme == "file":
            path = Path(url2pathname(urlsplit(url).path)).resolve()
            if not any(path.is_relative_to(root) for root in self.roots):
                raise _RefusedURL(f"fichier hors du projet refusé : {url}")
        elif scheme != "data":
            raise _RefusedURL(f"ressource externe refusée (aucun accès réseau) : {url}")
        return super().fetch(url, headers)


def base_url() -> str:
    """Relative URLs in print templates resolve against the project's static sources."""
    return (Path(settings.BASE_DIR) / "attesta" / "static").resolve().as_uri() + "/"


def render_pdf(template_name: str, context: dict[str, object]) -> bytes:
    """Render `template_name` with `context` and print it to PDF bytes.

    The PDF is tagged (a structure tree of headings, paragraphs, lists and tables, marked
    content, the template's ``lang``): screen readers read the candidates' convocations,
    attestations and results in order. Not claimed PDF/UA: WeasyPrint's support is
    experimental."""
    html = render_to_string(template_name, context)
    document = HTML(string=html, base_url=base_url(), url_fetcher=LocalURLFetcher(local_roots()))
    try:
        pdf: bytes = document.write_pdf(pdf_tags=True)
    except FatalURLFetchingError as error:
        # BaseException in WeasyPrint: turned into an ordinary error for views and services.
        message = str(error)
        if error.__cause__ is not None:
            message = f"{message} ({error.__cause__})"
        raise PrintResourceError(message) from error
    return pdf
