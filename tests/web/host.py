"""A small HTTP server for the pages that embed a widget: a real second origin on loopback.

Host pages are not what the tests examine, but they must come from a real server:
Chromium refuses a page without a network address (as Playwright's router would give)
access to a loopback server, as it refuses any public page access to a private network.
"""
from __future__ import annotations

import threading
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Callable, Dict, Iterator, Optional, Tuple

# path -> (body, Content-Type, extra headers); None for 404
Pages = Callable[[str], Optional[Tuple[bytes, str, Dict[str, str]]]]


@contextmanager
def serving(pages: Pages) -> Iterator[str]:
    """Serve `pages` on a free loopback port; yields the origin, http://127.0.0.1:<port>."""

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            found = pages(self.path)
            if found is None:
                self.send_error(404)
                return
            body, kind, headers = found
            self.send_response(200)
            for name, value in {"Content-Type": kind, "Cache-Control": "no-store", **headers}.items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: Any) -> None:
            """Quiet: a failing test shows what matters."""

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()
