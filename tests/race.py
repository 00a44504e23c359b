"""Run actions in threads released together, to test what the database holds under races."""

import threading
from collections.abc import Callable
from typing import Any

from django.db import connection


def race(*actions: Callable[[], Any]) -> list[tuple[str, Any]]:
    """Run the actions in threads released together; return ("ok"|"error", value) for each."""
    barrier = threading.Barrier(len(actions))
    outcomes: list[tuple[str, Any]] = [("", None)] * len(actions)

    def run(index: int, action: Callable[[], Any]) -> None:
        try:
            barrier.wait(timeout=10)
            outcomes[index] = ("ok", action())
        except Exception as error:  # reported to the test
            outcomes[index] = ("error", error)
        finally:
            connection.close()  # each thread has its own connection

    threads = [threading.Thread(target=run, args=(i, a)) for i, a in enumerate(actions)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return outcomes
