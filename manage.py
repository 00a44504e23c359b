#!/usr/bin/env python
import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    # On a developer machine (no secret configured) management commands run in debug, as
    # `make run` does. A deployment sets DJANGO_SECRET_KEY, so debug stays off there; the
    # WSGI entry point (config/wsgi.py) never falls back and refuses to start without it.
    if not os.environ.get("DJANGO_SECRET_KEY"):
        os.environ.setdefault("DJANGO_DEBUG", "1")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
