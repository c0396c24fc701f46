"""Fixtures of the screens' browser tests: the real local runtime (`python -m local`, console
included) in the brand zone Asia/Tehran, Chromium through Playwright, a signed-in page per
locale, an axe-core check and screenshots.

The runtime runs the way `make run` does, with the e2e speed-ups: schedules 20x faster (the
publish sweep every 3 s) and watch rules re-read on every mention (no 30 s cache), so a flow
that waits for the system waits seconds, not minutes.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import requests

from local.runtime import free_port
from tests import helpers

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = Path(__file__).resolve().parent / "screenshots"
BRAND_ZONE = "Asia/Tehran"
ADMIN_TOKEN = "cc_browser-screens-admin-0123456789"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


def _axe_source() -> str | None:
    for candidate in (
        os.environ.get("AXE_CORE_JS"),
        ROOT / "node_modules" / "axe-core" / "axe.min.js",
    ):
        if candidate and Path(candidate).is_file():
            return Path(candidate).read_text(encoding="utf-8")
    return None


@dataclass
class Runtime:
    url: str
    console_url: str
    fake_url: str
    admin_token: str
    process: subprocess.Popen

    @property
    def auth(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.admin_token}"}

    def get(self, path: str, **params: Any) -> Any:
        response = requests.get(f"{self.url}{path}", headers=self.auth, params=params, timeout=5)
        assert response.status_code == 200, (path, response.status_code, response.text)
        return response.json()

    def send(self, method: str, path: str, body: Any = None) -> Any:
        response = requests.request(
            method, f"{self.url}{path}", headers=self.auth, json=body, timeout=5
        )
        assert response.status_code < 300, (path, response.status_code, response.text)
        return response.json() if response.text else None

    def generic_webhook(self, **event: Any) -> None:
        body = helpers.compact(helpers.generic_event(**event))
        response = requests.post(
            f"{self.url}/webhooks/generic",
            data=body,
            headers=helpers.generic_headers(body),
            timeout=5,
        )
        assert response.status_code == 200, response.text


@pytest.fixture(scope="session")
def runtime() -> Iterator[Runtime]:
    if CHROMIUM is None:
        pytest.skip("Chromium is not installed (Debian: apt-get install chromium)")
    port, fake_port, console_port = free_port(), free_port(), free_port()
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("AWS_", "CARE_", "TELEGRAM_", "META_", "X_", "LINKEDIN_"))
    }
    env.update(
        {
            "CARE_API_PORT": str(port),
            "CARE_FAKE_PLATFORMS_PORT": str(fake_port),
            "CARE_CONSOLE_PORT": str(console_port),
            "CARE_ADMIN_TOKEN": ADMIN_TOKEN,
            "CARE_TIMEZONE": BRAND_ZONE,
            "CARE_PUMP_SCHEDULE_SCALE": "0.05",
            "CARE_RULES_CACHE_SECONDS": "0",
            "TELEGRAM_SECRET_TOKEN": helpers.TELEGRAM_SECRET,
            "TELEGRAM_BOT_TOKEN": helpers.BOT_TOKEN,
            "GENERIC_WEBHOOK_SECRET": helpers.GENERIC_SECRET,
            "PYTHONUNBUFFERED": "1",
        }
    )
    log = open(ROOT / ".pytest-browser-screens.log", "w")  # noqa: SIM115
    process = subprocess.Popen(
        [sys.executable, "-m", "local"], cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=log,
        text=True,
    )  # fmt: skip
    assert process.stdout is not None
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        line = process.stdout.readline()
        if line.startswith("READY "):
            break
        if process.poll() is not None:
            pytest.fail("local runtime exited early; see .pytest-browser-screens.log")
    else:
        process.kill()
        pytest.fail("local runtime did not become ready in 60 s")
    try:
        yield Runtime(
            url=f"http://127.0.0.1:{port}",
            console_url=f"http://127.0.0.1:{console_port}",
            fake_url=f"http://127.0.0.1:{fake_port}",
            admin_token=ADMIN_TOKEN,
            process=process,
        )
    finally:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()


@pytest.fixture(scope="session")
def browser(runtime: Runtime) -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        yield launched
        launched.close()


def open_console(
    browser: Any, runtime: Runtime, path: str, *, locale: str = "fa", width: int = 1280,
    token: str | None = None,
) -> Any:
    """A page signed in (token in sessionStorage, as sign-in leaves it) on `#path`."""
    context = browser.new_context(
        viewport={"width": width, "height": 900}, accept_downloads=True, locale="fa-IR"
    )
    context.add_init_script(
        f"sessionStorage.setItem('carecycle.token', {(token or runtime.admin_token)!r});"
        f"localStorage.setItem('carecycle.locale', {locale!r});"
    )
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.js_errors = errors  # type: ignore[attr-defined]
    page.goto(f"{runtime.console_url}/#{path}")
    return page


def screenshot(page: Any, name: str) -> None:
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


def assert_accessible(page: Any, context: str) -> None:
    """axe-core over the page: no serious or critical violation."""
    source = _axe_source()
    if source is None:
        pytest.skip("axe-core is not installed (npm ci, or AXE_CORE_JS=path/to/axe.min.js)")
    page.evaluate(source)
    result = page.evaluate(
        "() => axe.run(document, {resultTypes: ['violations']}).then(r => r.violations"
        ".filter(v => ['serious', 'critical'].includes(v.impact))"
        ".map(v => ({id: v.id, impact: v.impact, help: v.help,"
        " nodes: v.nodes.slice(0, 3).map(n => n.target.join(' '))})))"
    )
    assert result == [], f"{context}: {result}"
