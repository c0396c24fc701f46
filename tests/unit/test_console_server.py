"""The console's local static server: security headers, the generated config.json, gzip, and
nothing served from outside console/."""

from __future__ import annotations

import re

import pytest
import requests

from local.console_server import CONSOLE_DIR, ConsoleServer

API = "http://127.0.0.1:8765"


@pytest.fixture
def server(monkeypatch):
    monkeypatch.setenv("CARE_TIMEZONE", "Asia/Tehran")
    running = ConsoleServer(API, port=0).start()
    yield running
    running.stop()


def test_every_answer_has_the_strict_policy(server):
    response = requests.get(server.url + "/", timeout=5)
    assert response.status_code == 200
    assert '<script type="module" src="js/main.js">' in response.text
    csp = response.headers["Content-Security-Policy"]
    for directive in (
        "default-src 'self'",
        f"connect-src 'self' {API}",
        "script-src 'self'",
        "style-src 'self'",
        "frame-ancestors 'none'",
        "base-uri 'none'",
    ):
        assert directive in csp
    assert "unsafe" not in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "no-referrer"
    assert response.headers["X-Frame-Options"] == "DENY"


def test_config_json_tells_the_console_where_the_api_is(server):
    config = requests.get(server.url + "/config.json", timeout=5).json()
    assert config["api_base"] == API
    assert config["brand_zone"] == "Asia/Tehran"
    assert config["reply_limits"]["x"]["max"] == 280
    assert config["reply_limits"]["x"]["url_weight"] == 23
    assert config["reply_limits"]["telegram"] == {"max": 4096, "count": "utf16"}


def test_text_is_gzipped_when_the_browser_accepts_it(server):
    raw = requests.get(
        server.url + "/js/main.js", headers={"Accept-Encoding": "identity"}, timeout=5
    )
    assert "Content-Encoding" not in raw.headers
    assert raw.headers["Content-Type"].startswith("text/javascript")
    zipped = requests.get(
        server.url + "/js/main.js", headers={"Accept-Encoding": "gzip"}, timeout=5
    )
    assert zipped.headers["Content-Encoding"] == "gzip"
    assert zipped.content == raw.content  # requests decodes it
    assert int(zipped.headers["Content-Length"]) < len(raw.content)


@pytest.mark.parametrize("path", ["/js/", "/../app.py", "/%2e%2e/app.py", "/nothing.js"])
def test_only_console_files_are_served(server, path):
    response = requests.get(server.url + path, timeout=5)
    assert response.status_code == 404


def test_the_console_has_no_inline_script_style_or_remote_asset():
    """The CSP forbids them; this finds them before a browser would refuse them."""
    html = (CONSOLE_DIR / "index.html").read_text()
    assert not re.search(r"<script(?![^>]*\bsrc=)", html)
    assert "<style" not in html
    assert " style=" not in html
    for file in CONSOLE_DIR.rglob("*"):
        if file.suffix in {".js", ".css", ".html"}:
            text = file.read_text()
            assert not re.search(r"\.(?:inner|outer)HTML\s*=|insertAdjacentHTML", text), file
            assert not re.search(r"(?:src|href|url\()\s*=?\s*['\"(]?https?://", text), file
            assert "eval(" not in text, file
