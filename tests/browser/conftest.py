"""Browser tests: Playwright for Python driving Debian's Chromium against the real local runtime
(`python -m local`, what `make run` starts), console and API on their own ports.

Shared by every console test (the care flows here, the calendar/listening/reports/settings
flows of the screens). What they get:
- `console` (session): the running runtime: `.url` (API), `.console_url`, `.fake_url`,
  `.admin_token`, `.auth`; `.post_telegram_dm(...)`, `.fake_received(platform)`,
  `.queue_fake_reply(...)`, `.api(method, path, json=)`.
- `browser` (session): Chromium, launched headless with the flags a container needs.
- `page` (per test): a fresh context (1280x900, its own sessionStorage) whose console errors,
  page errors and CSP violations fail the test at teardown.
- `sign_in(page, token=None, locale="fa")`: through the sign-in screen, lands on the inbox.
- `shot(page, name)`: a screenshot in tests/browser/screenshots/ (gitignored).
- `axe_check(page, name)`: axe-core on the current screen; fails on serious/critical findings.

Chromium is `/usr/bin/chromium` (or `CARE_CHROMIUM`). Without it, or without the playwright
package, the tests are skipped with the reason — except under `CI=true`, where that is a failure:
CI must run them (`.ci/run` installs Chromium).
SLA targets are shortened (`CARE_SLA_ACK_SECONDS`, below) so a deadline passes within a test.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import requests

from local.runtime import free_port
from tests import helpers
from tests.e2e.conftest import spawn_local

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = Path(__file__).resolve().parent / "screenshots"
CHROMIUM = os.environ.get("CARE_CHROMIUM") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PLATFORM_ENV = ("TELEGRAM_", "META_", "X_", "LINKEDIN_")
SLA_ACK_SECONDS = 40
SLA_RESOLVE_SECONDS = 240
SERIOUS = ("serious", "critical")


def _why_no_browser() -> str | None:
    if not (shutil.which(CHROMIUM) or Path(CHROMIUM).is_file()):
        return f"no Chromium at {CHROMIUM} (apt-get install chromium, or set CARE_CHROMIUM)"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "the playwright package is not installed (requirements-dev.txt)"
    return None


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Skip (or, under CI=true, fail) every browser test when Chromium cannot run them."""
    reason = _why_no_browser()
    if reason is None:
        return
    here = Path(__file__).resolve().parent
    mine = [i for i in items if here in Path(str(i.fspath)).resolve().parents]
    if not mine:
        return
    if os.environ.get("CI", "").lower() == "true":
        raise pytest.UsageError(f"browser tests cannot run under CI=true: {reason}")
    print(f"\nbrowser tests SKIPPED: {reason}", file=sys.stderr)
    marker = pytest.mark.skip(reason=f"browser tests skipped: {reason}")
    for item in mine:
        item.add_marker(marker)


@dataclass
class ConsoleRuntime:
    url: str
    console_url: str
    fake_url: str
    admin_token: str
    process: subprocess.Popen
    banner: str = ""
    updates: list[int] = field(default_factory=lambda: [1000])

    @property
    def auth(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.admin_token}"}

    def api(self, method: str, path: str, **kwargs: Any) -> requests.Response:
        return requests.request(method, self.url + path, headers=self.auth, timeout=10, **kwargs)

    def post_telegram_dm(self, chat_id: int, text: str, name: str = "Neda") -> str:
        """A customer's Telegram DM through the signed webhook; returns the mention id."""
        self.updates[0] += 1
        update = {
            "update_id": self.updates[0],
            "message": {
                "message_id": self.updates[0],
                "date": int(time.time()),
                "chat": {"id": chat_id, "type": "private"},
                "from": {"id": chat_id, "is_bot": False, "first_name": name},
                "text": text,
            },
        }
        response = requests.post(
            f"{self.url}/webhooks/telegram",
            json=update,
            headers={"X-Telegram-Bot-Api-Secret-Token": helpers.TELEGRAM_SECRET},
            timeout=10,
        )
        response.raise_for_status()
        return f"telegram:{chat_id}:{self.updates[0]}"

    def ticket_for(self, chat_id: int, timeout: float = 20) -> dict[str, Any]:
        """The ticket the consumer opened for a chat (waits for the pump)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            items = self.api("GET", "/tickets", params={"limit": 100}).json()["items"]
            for ticket in items:
                if ticket["conversation"]["conversation_id"] == str(chat_id):
                    return ticket
            time.sleep(0.3)
        raise AssertionError(f"no ticket for chat {chat_id} within {timeout} s")

    def fake_received(self, platform: str, since: int = 0) -> list[dict[str, Any]]:
        response = requests.get(
            f"{self.fake_url}/_fake/requests",
            params={"platform": platform, "since": since},
            timeout=10,
        )
        return response.json()["items"]

    def queue_fake_reply(self, path: str, status: int, body: Any = None) -> None:
        response = requests.post(
            f"{self.fake_url}/_fake/replies",
            json={"path": path, "status": status, "body": body},
            timeout=10,
        )
        response.raise_for_status()


@pytest.fixture(scope="session")
def console() -> Iterator[ConsoleRuntime]:
    port, fake_port, console_port = free_port(), free_port(), free_port()
    token = "cc_browser-admin-token-0123456789"
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("AWS_", "CARE_", *PLATFORM_ENV, "GENERIC_WEBHOOK_"))
    }
    env.update(
        {
            "CARE_API_PORT": str(port),
            "CARE_CONSOLE_PORT": str(console_port),
            "CARE_FAKE_PLATFORMS_PORT": str(fake_port),
            "CARE_ADMIN_TOKEN": token,
            "CARE_PUMP_SCHEDULE_SCALE": "0.05",
            "CARE_SLA_ACK_SECONDS": str(SLA_ACK_SECONDS),
            "CARE_SLA_RESOLVE_SECONDS": str(SLA_RESOLVE_SECONDS),
            "CARE_TIMEZONE": "Asia/Tehran",
            # A watch-rule edit applies to the next mention (the screens' listening flow).
            "CARE_RULES_CACHE_SECONDS": "0",
            "TELEGRAM_SECRET_TOKEN": helpers.TELEGRAM_SECRET,
            "TELEGRAM_BOT_TOKEN": helpers.BOT_TOKEN,
            "GENERIC_WEBHOOK_SECRET": helpers.GENERIC_SECRET,
            "PYTHONUNBUFFERED": "1",
        }
    )
    with spawn_local(env, "browser") as (process, banner):
        runtime = ConsoleRuntime(
            url=f"http://127.0.0.1:{port}",
            console_url=f"http://127.0.0.1:{console_port}",
            fake_url=f"http://127.0.0.1:{fake_port}",
            admin_token=token,
            process=process,
            banner=banner,
        )
        yield runtime


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.set_default_timeout(15000)
    tab = context.new_page()
    problems: list[str] = []

    def on_console(message: Any) -> None:
        text = message.text
        # 4xx answers the console handles itself (a probe, a refused send) log a resource
        # error; anything else on the console is a defect.
        if message.type == "error" and "Failed to load resource" not in text:
            problems.append(f"console: {text}")
        if "Content Security Policy" in text:
            problems.append(f"CSP: {text}")

    tab.on("console", on_console)
    tab.on("pageerror", lambda error: problems.append(f"page error: {error}"))
    yield tab
    context.close()
    assert not problems, problems


@pytest.fixture
def sign_in(console: ConsoleRuntime) -> Callable[..., None]:
    def go(page: Any, token: str | None = None, locale: str = "fa") -> None:
        page.goto(console.console_url + "/")
        page.evaluate(f"localStorage.setItem('carecycle.locale', {json.dumps(locale)})")
        page.reload()
        page.get_by_label("توکن دسترسی" if locale == "fa" else "Access token").fill(
            token or console.admin_token
        )
        page.locator("form button[type=submit]").click()
        page.wait_for_url("**/#/inbox*")
        page.locator(".ticket-list").wait_for(state="attached")

    return go


@pytest.fixture
def shot() -> Callable[[Any, str], Path]:
    SCREENSHOTS.mkdir(exist_ok=True)

    def take(page: Any, name: str, *, full_page: bool = True) -> Path:
        path = SCREENSHOTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=full_page)
        return path

    return take


@pytest.fixture
def axe_check() -> Callable[[Any, str], list[dict[str, Any]]]:
    """axe-core (vendored by axe-playwright-python) on the page as it is now."""
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()

    def check(page: Any, name: str) -> list[dict[str, Any]]:
        results = axe.run(page)
        violations = results.response["violations"]
        serious = [v for v in violations if v.get("impact") in SERIOUS]
        summary = [
            (v["id"], v["impact"], [n.get("target") for n in v["nodes"]][:5]) for v in serious
        ]
        assert not serious, f"{name}: axe found serious/critical violations: {summary}"
        return violations

    return check
