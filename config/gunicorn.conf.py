"""gunicorn, the production server: `gunicorn -c config/gunicorn.conf.py config.wsgi`.

Every value can be changed with an environment variable (README, production notes). The access
log names the path only, never the query string, the full request line or the referer: search
terms carry people's names.
"""

import logging
import os
import re


def _int(name: str, default: int) -> int:
    return int(os.environ.get(name, str(default)))


bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
# Sync workers: two per core (a page waits on the database part of its time), at most eight.
# Each stays under 200 MB; count that much memory per worker (README, production notes).
workers = _int("GUNICORN_WORKERS", min(2 * (os.cpu_count() or 1), 8))
timeout = _int("GUNICORN_TIMEOUT", 30)  # a worker silent this long is killed and replaced
graceful_timeout = _int("GUNICORN_GRACEFUL_TIMEOUT", 30)  # to finish requests on restart
keepalive = _int("GUNICORN_KEEPALIVE", 5)
# The listen queue: what the workers serve in under a second at 50 ms a page (16 per worker).
# Past it the kernel takes no more connections, so an overload gets quick errors from the proxy
# instead of a queue of 2,048 that took 73 s to drain (ADR 0023).
backlog = _int("GUNICORN_BACKLOG", 16 * workers)
# Workers are replaced after this many requests (and some jitter), so that none grows forever.
max_requests = _int("GUNICORN_MAX_REQUESTS", 1000)
max_requests_jitter = _int("GUNICORN_MAX_REQUESTS_JITTER", 100)

# No runtime control socket (gunicornc): restarts go through the process manager's signals.
control_socket_disable = True

# Whether the client used HTTPS is Django's decision alone (SECURE_PROXY_SSL_HEADER, only behind
# a declared proxy): gunicorn must not rewrite the scheme from headers on its own.
secure_scheme_headers: dict[str, str] = {}

accesslog = "-"  # stdout
errorlog = "-"  # stderr
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
# %(U)s is the path without its query string; no %(r)s (request line), %(q)s or %(f)s (referer).
access_log_format = '%(h)s %(t)s "%(m)s %(U)s %(H)s" %(s)s %(B)s %(M)sms'


class _WithoutQueryStrings(logging.Filter):
    """gunicorn's error log names the URI of a request it could not handle: keep its path."""

    _query = re.compile(r"\?\S*")

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, tuple):
            record.args = tuple(
                self._query.sub("", arg) if isinstance(arg, str) else arg for arg in record.args
            )
        return True


def post_fork(server: object, worker: object) -> None:
    logging.getLogger("gunicorn.error").addFilter(_WithoutQueryStrings())
