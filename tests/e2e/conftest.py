"""Starts the real local runtime (`python -m local`, what `make run` runs) once per session.

One runtime serves every e2e test (a start costs seconds), so its environment suits them all:
- no platform API base URL, so the runtime starts its fake platform server (plausible mode) on a
  port chosen here, and the tests read what it received at `/_fake/requests`;
- `CARE_PUMP_SCHEDULE_SCALE=0.05`: the one-minute publish sweep runs every 3 s;
- `CARE_SLA_ACK_SECONDS=6` / `CARE_SLA_RESOLVE_SECONDS=12`, the SLA's acceptance setting; the
  other tests act on their tickets within a second or two, well inside those targets.
Tests that stop the runtime (`@pytest.mark.shutdown`) run after every other e2e test.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

from local.runtime import free_port
from tests import helpers, social

ROOT = Path(__file__).resolve().parents[2]


PLATFORM_ENV = ("TELEGRAM_", "META_", "X_", "LINKEDIN_")
SCHEDULE_SCALE = 0.05
SLA_ACK_SECONDS = 6
SLA_RESOLVE_SECONDS = 12


@dataclass
class LiveRuntime:
    url: str
    admin_token: str
    process: subprocess.Popen
    fake_url: str
    banner: str = ""

    @property
    def auth(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.admin_token}"}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Move the tests that stop the shared runtime behind the last other e2e test."""
    stoppers = [item for item in items if item.get_closest_marker("shutdown")]
    if not stoppers:
        return
    rest = [item for item in items if item not in stoppers]
    e2e = [i for i, item in enumerate(rest) if item.get_closest_marker("e2e")]
    at = e2e[-1] + 1 if e2e else len(rest)
    items[:] = rest[:at] + stoppers + rest[at:]


@pytest.fixture(scope="session")
def live() -> Iterator[LiveRuntime]:
    yield from start_live()


def start_live(
    extra_env: dict[str, str] | None = None, log_name: str = "e2e"
) -> Iterator[LiveRuntime]:
    """Start `python -m local` with the e2e environment (plus `extra_env`), yield it, stop it.
    The fault-injection suite (tests/faults/) starts its own with shorter platform timeouts."""
    port, fake_port = free_port(), free_port()
    token = "cc_e2e-admin-token-0123456789"
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("AWS_", "CARE_", *PLATFORM_ENV, "GENERIC_WEBHOOK_"))
    }
    env.update(
        {
            "CARE_API_PORT": str(port),
            "CARE_FAKE_PLATFORMS_PORT": str(fake_port),
            "CARE_ADMIN_TOKEN": token,
            "CARE_PUMP_SCHEDULE_SCALE": str(SCHEDULE_SCALE),
            "CARE_SLA_ACK_SECONDS": str(SLA_ACK_SECONDS),
            "CARE_SLA_RESOLVE_SECONDS": str(SLA_RESOLVE_SECONDS),
            "TELEGRAM_SECRET_TOKEN": helpers.TELEGRAM_SECRET,
            "TELEGRAM_BOT_TOKEN": helpers.BOT_TOKEN,
            "GENERIC_WEBHOOK_SECRET": helpers.GENERIC_SECRET,
            # Instagram DMs reach the runtime signed like Meta's (issue 13's customers e2e).
            "META_APP_SECRET": social.META_SECRET,
            "PYTHONUNBUFFERED": "1",
            **(extra_env or {}),
        }
    )
    with spawn_local(env, log_name) as (process, banner):
        runtime = LiveRuntime(
            url=f"http://127.0.0.1:{port}",
            admin_token=token,
            process=process,
            fake_url=f"http://127.0.0.1:{fake_port}",
            banner=banner,
        )
        yield runtime


@contextmanager
def spawn_local(env: dict[str, str], log_name: str) -> Iterator[tuple[subprocess.Popen, str]]:
    """Run `python -m local` with `env` until it prints READY; yield it and its banner; stop
    it with Ctrl-C (SIGINT) as a person would. Shared by the e2e, fault and browser suites."""
    log = open(ROOT / f".pytest-{log_name}-runtime.log", "w")  # noqa: SIM115
    process = subprocess.Popen(
        [sys.executable, "-m", "local"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=log,
        text=True,
    )
    try:
        deadline = time.monotonic() + 60
        assert process.stdout is not None
        banner: list[str] = []
        while time.monotonic() < deadline:
            line = process.stdout.readline()
            banner.append(line)
            if line.startswith("READY "):
                break
            if process.poll() is not None:
                pytest.fail(
                    f"local runtime exited early ({process.returncode}); "
                    f"see .pytest-{log_name}-runtime.log"
                )
        else:
            pytest.fail("local runtime did not become ready in 60 s")
        yield process, "".join(banner)
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGINT)
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
        log.close()
