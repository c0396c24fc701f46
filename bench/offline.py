"""The set-up every bench shares, run before it imports the app: the repository on `sys.path`
and an offline AWS environment (fake credentials, one region, no metrics), so a bench measures
our code against moto and can never reach a real account, whatever the caller's shell holds."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def prepare(extra: dict[str, str] | None = None) -> Path:
    """Set the environment (plus the bench's own `extra` settings) and return the repository."""
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    os.environ.update(
        {
            "AWS_ACCESS_KEY_ID": "bench",
            "AWS_SECRET_ACCESS_KEY": "bench",
            "AWS_DEFAULT_REGION": "us-east-1",
            "POWERTOOLS_METRICS_DISABLED": "true",
            "POWERTOOLS_LOG_LEVEL": "WARNING",
            **(extra or {}),
        }
    )
    os.environ.pop("AWS_ENDPOINT_URL", None)
    return ROOT


def start_local(
    env: dict[str, str], *, drop: tuple[str, ...], deadline_s: float = 90
) -> tuple[subprocess.Popen[str], str]:
    """`python -m local` (what `make run` starts) with the caller's environment minus every
    variable starting with one of `drop` (so the shell's real settings never leak in), plus
    `env`; returns the process and the moto URL once its banner says READY."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith(drop)}
    process = subprocess.Popen(
        [sys.executable, "-m", "local"],
        cwd=ROOT,
        env={**clean, "PYTHONUNBUFFERED": "1", **env},
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    assert process.stdout is not None
    moto_url = ""
    deadline = time.monotonic() + deadline_s
    while time.monotonic() < deadline:
        line = process.stdout.readline()
        if "AWS (moto)" in line:
            moto_url = line.split()[-1]
        if line.startswith("READY "):
            return process, moto_url
        if process.poll() is not None:
            break
    process.kill()
    raise SystemExit("the local runtime did not start")
