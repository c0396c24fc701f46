"""The set-up every bench shares, run before it imports the app: the repository on `sys.path`
and an offline AWS environment (fake credentials, one region, no metrics), so a bench measures
our code against moto and can never reach a real account, whatever the caller's shell holds."""

from __future__ import annotations

import os
import sys
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
