"""The console's static files for `make run`, on their own origin (default port 8001).

A small threaded static server, because the console is plain files: it serves `console/` with
the security headers the deployed CloudFront sends too (the strict Content-Security-Policy that
allows scripts and styles from this origin only and API calls to the API's origin, no framing,
no referrer), gzip when the browser accepts it (the first-load figure of `bench/console.py` is
the compressed one, as CloudFront would send it), and a generated `/config.json` that tells the
console where the API is and in which zone the brand lives. Nothing here is fetched from
anywhere: the console has no run-time dependencies.
"""

from __future__ import annotations

import gzip
import json
import mimetypes
import os
import threading
from http import HTTPStatus
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

CONSOLE_DIR = Path(__file__).resolve().parents[1] / "console"
COMPRESSIBLE = (".html", ".js", ".css", ".json", ".svg", ".txt")
TYPES = {
    ".js": "text/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".html": "text/html; charset=utf-8",
    ".svg": "image/svg+xml",
    ".json": "application/json",
}


def content_security_policy(api_origin: str) -> str:
    return "; ".join(
        (
            "default-src 'self'",
            f"connect-src 'self' {api_origin}",
            "img-src 'self' data:",
            "style-src 'self'",
            "script-src 'self'",
            "font-src 'self'",
            "object-src 'none'",
            "frame-ancestors 'none'",
            "base-uri 'none'",
            "form-action 'self'",
        )
    )


def security_headers(api_origin: str) -> dict[str, str]:
    return {
        "Content-Security-Policy": content_security_policy(api_origin),
        "X-Content-Type-Options": "nosniff",
        "X-Frame-Options": "DENY",
        "Referrer-Policy": "no-referrer",
        "Cross-Origin-Opener-Policy": "same-origin",
        "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=()",
    }


def console_config(api_base: str) -> dict[str, Any]:
    """What `console/js/core/config.js` reads: the deployment writes the same keys."""
    from chalicelib.care.reply_limits import console_limits

    return {
        "api_base": api_base.rstrip("/"),
        "brand_zone": os.environ.get("CARE_TIMEZONE") or "UTC",
        "sla_warn_fraction": float(os.environ.get("CARE_SLA_WARN_FRACTION") or 0.75),
        "reply_limits": console_limits(),
        "environment": "local",
    }


class ConsoleServer:
    """Serves `console/` on 127.0.0.1:`port` (0: a free port) in a daemon thread."""

    def __init__(self, api_base: str, port: int = 0, root: Path = CONSOLE_DIR) -> None:
        self.api_base = api_base.rstrip("/")
        config = json.dumps(console_config(self.api_base), ensure_ascii=False).encode()
        headers = security_headers(self.api_base)
        handler = _handler(root, config, headers)
        self.httpd = ThreadingHTTPServer(("127.0.0.1", port), handler)
        self.httpd.daemon_threads = True
        self.port = int(self.httpd.server_address[1])
        self.url = f"http://127.0.0.1:{self.port}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, name="console", daemon=True)

    def start(self) -> ConsoleServer:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


def _handler(root: Path, config: bytes, headers: dict[str, str]) -> type[SimpleHTTPRequestHandler]:
    cache: dict[tuple[str, float], bytes] = {}
    lock = threading.Lock()

    class Handler(SimpleHTTPRequestHandler):
        server_version = "carecycle-console"
        sys_version = ""
        protocol_version = "HTTP/1.1"  # keep-alive: the modules come over a few connections

        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, directory=str(root), **kwargs)

        def log_message(self, format: str, *args: Any) -> None:
            """Quiet: `make run` prints its own banner, and URLs are nobody's business."""

        def end_headers(self) -> None:
            for name, value in headers.items():
                self.send_header(name, value)
            self.send_header("Cache-Control", "no-cache")
            super().end_headers()

        def list_directory(self, path: str) -> None:  # type: ignore[override]  # noqa: ARG002
            """No directory listings: only the console's own files are served."""
            self.send_error(HTTPStatus.NOT_FOUND)

        def do_GET(self) -> None:
            self._serve(body=True)

        def do_HEAD(self) -> None:
            self._serve(body=False)

        def _serve(self, *, body: bool) -> None:
            path = self.path.split("?", 1)[0].split("#", 1)[0]
            if path == "/config.json":
                return self._send(config, "application/json", body=body, zipped=False)
            if path.endswith("/"):
                path += "index.html"
            file = Path(self.translate_path(path))
            if not file.is_file() or root.resolve() not in file.resolve().parents:
                self.send_error(HTTPStatus.NOT_FOUND)
                return None
            kind = (
                TYPES.get(file.suffix)
                or mimetypes.guess_type(file.name)[0]
                or "application/octet-stream"
            )
            data = file.read_bytes()
            accepts = "gzip" in (self.headers.get("Accept-Encoding") or "")
            if accepts and file.suffix in COMPRESSIBLE:
                key = (str(file), file.stat().st_mtime)
                with lock:
                    if key not in cache:
                        cache[key] = gzip.compress(data, compresslevel=9, mtime=0)
                    data = cache[key]
                return self._send(data, kind, body=body, zipped=True)
            return self._send(data, kind, body=body, zipped=False)

        def _send(self, data: bytes, kind: str, *, body: bool, zipped: bool) -> None:
            self.send_response(HTTPStatus.OK)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(data)))
            if zipped:
                self.send_header("Content-Encoding", "gzip")
            self.send_header("Vary", "Accept-Encoding")
            self.end_headers()
            if body:
                self.wfile.write(data)

    return Handler
