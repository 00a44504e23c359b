"""Static files in production (ADR 0027): collected by WhiteNoise's compressed manifest storage,
so that every file has a hashed name, a gzip and a Brotli copy, and is served with a cache
lifetime of ten years (a new version is a new name)."""

from collections.abc import Iterator
from pathlib import Path

import pytest
from django.core.management import call_command
from django.http import HttpResponse, HttpResponseNotFound
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.test import RequestFactory, override_settings
from whitenoise.middleware import WhiteNoiseMiddleware

import config.settings as production

MANIFEST_STORAGE = "whitenoise.storage.CompressedManifestStaticFilesStorage"
OUR_FILES = ["css/app.css", "js/app.js", "vendor/htmx/htmx.min.js"]
TEN_YEARS = "max-age=315360000, public, immutable"


def test_production_collects_static_files_with_the_compressed_manifest_storage():
    assert production.DEBUG is False
    assert production.STORAGES["staticfiles"]["BACKEND"] == MANIFEST_STORAGE
    middleware = production.MIDDLEWARE
    assert middleware.index("whitenoise.middleware.WhiteNoiseMiddleware") == 1, (
        "right after SecurityMiddleware, before anything that reads the session"
    )
    assert not hasattr(production, "WHITENOISE_MAX_AGE"), "hashed files: cached ten years"


def test_brotli_is_installed_so_whitenoise_writes_br_copies():
    import brotli  # noqa: F401 -- the extra of whitenoise[brotli]


@pytest.fixture(scope="module")
def collected(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """Our own files (not Django's admin nor the API docs' bundle), collected as in production."""
    root = tmp_path_factory.mktemp("static")
    with override_settings(
        DEBUG=False,
        STATIC_ROOT=root,
        STORAGES={**production.STORAGES},
        STATICFILES_FINDERS=["django.contrib.staticfiles.finders.FileSystemFinder"],
    ):
        call_command("collectstatic", "--noinput", verbosity=0)
        yield root


@pytest.mark.parametrize("name", OUR_FILES)
def test_each_file_gets_a_hashed_name_and_smaller_compressed_copies(collected, name):
    hashed = static(name)
    assert hashed != f"/static/{name}" and hashed.startswith("/static/")
    path = collected / hashed.removeprefix("/static/")
    size = path.stat().st_size
    for suffix in (".gz", ".br"):
        assert path.with_name(path.name + suffix).stat().st_size < size


def test_pages_link_the_hashed_names(collected, rf):
    request = rf.get("/")
    html = render_to_string("base.html", request=request)
    assert f'href="{static("css/app.css")}"' in html
    assert f'src="{static("js/app.js")}"' in html


@pytest.mark.parametrize(("accept", "encoding"), [("gzip, deflate, br", "br"), ("gzip", "gzip")])
def test_whitenoise_serves_them_compressed_and_cached_for_ten_years(collected, accept, encoding):
    def not_static(request: object) -> HttpResponse:
        return HttpResponseNotFound()

    serve = WhiteNoiseMiddleware(not_static)
    for name in OUR_FILES:
        response = serve(RequestFactory().get(static(name), HTTP_ACCEPT_ENCODING=accept))
        assert response.status_code == 200, name
        assert response["Cache-Control"] == TEN_YEARS
        assert response["Content-Encoding"] == encoding
        assert "Accept-Encoding" in response["Vary"]
