"""Starts the real local runtime (`python -m local`, what `make run` runs) once per session."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from local.runtime import free_port
from tests import helpers

ROOT = Path(__file__).resolve().parents[2]


@dataclass
class LiveRuntime:
    url: str
    admin_token: str
    process: subprocess.Popen


@pytest.fixture(scope="session")
def live() -> Iterator[LiveRuntime]:
    port = free_port()
    token = "cc_e2e-admin-token-0123456789"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "CARE_", "TELEGRAM_"))}
    env.update(
        {
            "CARE_API_PORT": str(port),
            "CARE_ADMIN_TOKEN": token,
            "TELEGRAM_SECRET_TOKEN": helpers.TELEGRAM_SECRET,
            "TELEGRAM_BOT_TOKEN": helpers.BOT_TOKEN,
            "GENERIC_WEBHOOK_SECRET": helpers.GENERIC_SECRET,
            "PYTHONUNBUFFERED": "1",
        }
    )
    log = open(ROOT / ".pytest-e2e-runtime.log", "w")  # noqa: SIM115
    process = subprocess.Popen(
        [sys.executable, "-m", "local"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=log,
        text=True,
    )
    deadline = time.monotonic() + 60
    assert process.stdout is not None
    while time.monotonic() < deadline:
        line = process.stdout.readline()
        if line.startswith("READY "):
            break
        if process.poll() is not None:
            pytest.fail(
                f"local runtime exited early ({process.returncode}); see .pytest-e2e-runtime.log"
            )
    else:
        process.kill()
        pytest.fail("local runtime did not become ready in 60 s")
    runtime = LiveRuntime(url=f"http://127.0.0.1:{port}", admin_token=token, process=process)
    try:
        yield runtime
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGINT)
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
        log.close()
