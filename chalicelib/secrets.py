"""Platform secrets: environment first (local runs, tests), then Secrets Manager in AWS.

In AWS the stack stores every platform credential in one JSON secret named by `CARE_SECRETS_ID`;
Powertools Parameters caches it for five minutes, so a rotated secret takes effect without a
redeploy and a warm Lambda makes no call per request. The value is never logged.
"""

from __future__ import annotations

import os

SECRETS_ID_ENV = "CARE_SECRETS_ID"
CACHE_SECONDS = 300


def get_secret(name: str) -> str | None:
    value = os.environ.get(name)
    if value:
        return value
    secret_id = os.environ.get(SECRETS_ID_ENV)
    if not secret_id:
        return None
    from aws_lambda_powertools.utilities import parameters

    values = parameters.get_secret(secret_id, transform="json", max_age=CACHE_SECONDS)
    found = values.get(name) if isinstance(values, dict) else None
    return str(found) if found else None
