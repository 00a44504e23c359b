"""Helpers for reading pages in view tests: the flashed messages, the queries a page costs."""

from django.db import connection
from django.test.utils import CaptureQueriesContext


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


def count_queries(client, path, data=None) -> int:
    """The queries one GET of `path` costs; the page must answer 200."""
    with CaptureQueriesContext(connection) as context:
        response = client.get(path, data or {})
    assert response.status_code == 200, response.status_code
    return len(context.captured_queries)
