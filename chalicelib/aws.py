"""Lazily created boto3 clients, one per service and process.

boto3 costs ~150 ms to import and a client ~20 ms to build, so neither happens at import time:
the first call pays once per Lambda container and later calls reuse the client (and its HTTP
connection pool). `AWS_ENDPOINT_URL` (honoured by botocore itself) points every client at the
local moto server. Tests call `reset()` after switching endpoints or mocks.
"""

from __future__ import annotations

import threading
from typing import Any

_clients: dict[str, Any] = {}
_lock = threading.Lock()


def client(service: str) -> Any:
    existing = _clients.get(service)
    if existing is not None:
        return existing
    with _lock:
        if service not in _clients:
            import boto3
            from botocore.config import Config

            config = Config(
                retries={"mode": "standard", "max_attempts": 3},
                connect_timeout=2,
                read_timeout=5,
                tcp_keepalive=True,
            )
            _clients[service] = boto3.session.Session().client(service, config=config)
        return _clients[service]


def dynamodb() -> Any:
    return client("dynamodb")


def sqs() -> Any:
    return client("sqs")


def events() -> Any:
    return client("events")


def stepfunctions() -> Any:
    return client("stepfunctions")


def reset() -> None:
    with _lock:
        _clients.clear()
