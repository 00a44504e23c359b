"""A local stand-in for an SMS provider's HTTP API, on a free port: it answers what the test
programs (a status and a JSON body), or holds the request until the client gives up."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

HANG = "hang"  # hold the request open: the client's timeout fires


class StubProvider:
    def __init__(self) -> None:
        self.answers: list[tuple[int, dict[str, Any]] | str] = []
        self.requests: list[dict[str, Any]] = []
        self.release = threading.Event()
        stub = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length", "0"))
                stub.requests.append(
                    {
                        "path": self.path,
                        "api_key": self.headers.get("api-key"),
                        "body": json.loads(self.rfile.read(length) or b"{}"),
                    }
                )
                answer = stub.answers.pop(0) if stub.answers else (201, {"messageId": 1})
                if answer == HANG:
                    stub.release.wait(5)
                    return
                status, body = answer
                payload = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/v3"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> StubProvider:
        self.thread.start()
        return self

    def __exit__(self, *exc: Any) -> None:
        self.release.set()
        self.server.shutdown()
        self.server.server_close()


def closed_port_url() -> str:
    """An address where nothing listens: connections are refused at once (a provider down)."""
    import socket

    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()
    return f"http://127.0.0.1:{port}/v3"
