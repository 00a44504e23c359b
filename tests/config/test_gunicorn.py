"""The production server: gunicorn started with the repository's configuration answers, and its
access log never carries a query string (search terms name people)."""

import os
import runpy
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(settings.BASE_DIR)
CONFIG = ROOT / "config" / "gunicorn.conf.py"
SEARCH = "/beneficiaires/?q=Awa+Diallo&page=2"


def test_the_access_log_format_has_no_query_string_nor_referer():
    config = runpy.run_path(str(CONFIG))
    fmt = config["access_log_format"]
    assert "%(U)s" in fmt
    for atom in ("%(r)s", "%(q)s", "%(f)s", "%({raw_uri}e)s"):
        assert atom not in fmt
    assert config["accesslog"] == "-"
    assert config["timeout"] > 0 and config["graceful_timeout"] > 0 and config["workers"] >= 1


def test_the_error_log_keeps_the_path_of_a_uri_and_drops_its_query_string():
    import logging

    config = runpy.run_path(str(CONFIG))
    logger = logging.getLogger("tests.gunicorn.error")
    config["post_fork"](None, None)  # installs the filter on gunicorn's error logger
    query_filter = logging.getLogger("gunicorn.error").filters[-1]
    record = logger.makeRecord(
        logger.name, logging.ERROR, __file__, 1, "Error handling request %s", (SEARCH,), None
    )
    assert query_filter.filter(record) is True
    assert record.getMessage() == "Error handling request /beneficiaires/"
    logging.getLogger("gunicorn.error").removeFilter(query_filter)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        return None


def _status(url: str) -> int:
    """The status of a GET on our local server, redirects not followed."""
    try:
        with urllib.request.build_opener(_NoRedirect).open(url, timeout=5) as response:
            return int(response.status)
    except urllib.error.HTTPError as error:
        return int(error.code)


@pytest.mark.server
def test_gunicorn_serves_with_the_repository_config_and_logs_no_query_string(tmp_path):
    port = _free_port()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings_test",
        # healthz only asks the database for SELECT 1: an empty SQLite file is enough.
        "DATABASE_URL": f"sqlite:///{tmp_path / 'smoke.sqlite3'}",
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "GUNICORN_WORKERS": "1",
        "PYTHONUNBUFFERED": "1",
    }
    started = time.monotonic()
    server = subprocess.Popen(  # noqa: S603 (our interpreter, our config file)
        [sys.executable, "-m", "gunicorn", "-c", str(CONFIG), "config.wsgi"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        status = None
        while time.monotonic() - started < 30:  # about 2 s on a quiet machine
            if server.poll() is not None:
                errors = server.stderr.read() if server.stderr else ""
                if "in use" in errors or "Can't connect" in errors:
                    pytest.skip("gunicorn could not bind a local port")
                pytest.fail("gunicorn stopped: " + errors[-2000:])
            try:
                status = _status(base + "/healthz")
                break
            except OSError:  # refused or timed out: the server is still starting
                time.sleep(0.05)
        assert status == 200
        assert _status(base + SEARCH) == 302  # the login page, not followed
    finally:
        server.terminate()
        try:
            out, err = server.communicate(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            out, err = server.communicate()
    access = [line for line in out.splitlines() if '"GET ' in line]
    assert any('"GET /healthz HTTP/1.1" 200' in line for line in access), out + err
    search = [line for line in access if "/beneficiaires/" in line]
    assert search and '"GET /beneficiaires/ HTTP/1.1" 302' in search[0], access
    assert not any("Diallo" in line or "?" in line for line in access), access
    assert "Diallo" not in err


def _config(monkeypatch, cores: int = 2, **env: str) -> dict:
    for name in ("GUNICORN_WORKERS", "GUNICORN_BACKLOG", "GUNICORN_TIMEOUT"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setattr(os, "cpu_count", lambda: cores)
    return runpy.run_path(str(CONFIG))


def test_workers_are_two_per_core_at_most_eight(monkeypatch):
    assert _config(monkeypatch, cores=2)["workers"] == 4
    assert _config(monkeypatch, cores=1)["workers"] == 2
    assert _config(monkeypatch, cores=16)["workers"] == 8
    assert _config(monkeypatch, GUNICORN_WORKERS="3")["workers"] == 3


def test_an_overload_is_refused_fast_instead_of_queued_for_a_minute(monkeypatch):
    """The listen queue holds what the workers serve in under a second at 50 ms a page; beyond
    it, new connections are not accepted (the proxy answers an error at once) instead of
    waiting behind thousands of others (2,048 × 140 ms / 4 workers: the 73 s measured)."""
    config = _config(monkeypatch, cores=2)
    assert config["backlog"] == 64
    assert config["backlog"] / config["workers"] * 0.050 < 1.0
    assert _config(monkeypatch, GUNICORN_WORKERS="8")["backlog"] == 128
    assert _config(monkeypatch, GUNICORN_BACKLOG="32")["backlog"] == 32


def test_a_stuck_request_is_cut_within_thirty_seconds(monkeypatch):
    config = _config(monkeypatch)
    assert 0 < config["timeout"] <= 30
    assert 0 < config["graceful_timeout"] <= config["timeout"]
