"""Reusable fakes for tests. `platform_server` (a pytest fixture, registered in conftest) starts
a `PlatformServer` and points every platform API base URL and token at it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from chalicelib import settings
from chalicelib.platforms import catalogue
from tests.fakes.platform_server import PlatformServer

TOKENS = {
    "TELEGRAM_BOT_TOKEN": "999000111:AAtest-bot-token",
    "X_ACCESS_TOKEN": "x-user-token",
    "META_ACCESS_TOKEN": "meta-page-token",
    "LINKEDIN_ACCESS_TOKEN": "li-token",
}
READ_TIMEOUT = 0.5


@pytest.fixture
def platform_server(monkeypatch: pytest.MonkeyPatch) -> Iterator[PlatformServer]:
    with PlatformServer() as server:
        for row in catalogue.with_api():
            monkeypatch.setenv(str(row.base_url_env), server.url)
        for name, value in TOKENS.items():
            monkeypatch.setenv(name, value)
        monkeypatch.setenv("CARE_HTTP_READ_TIMEOUT", str(READ_TIMEOUT))
        monkeypatch.setenv("CARE_HTTP_CONNECT_TIMEOUT", "1")
        monkeypatch.setenv("LINKEDIN_ORGANIZATION_URN", "urn:li:organization:11223344")
        settings.get_settings.cache_clear()
        yield server
    settings.get_settings.cache_clear()
