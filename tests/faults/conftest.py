"""The fault-injection suite (issue 16): the real local runtime (`python -m local`) driven over
HTTP while its fake platform answers what each test queues (`POST /_fake/replies`).

It starts its own runtime (the e2e one's environment, see tests/e2e/conftest.py) with a 1 s
platform read timeout, so "the platform took the request and answered too late" costs a second,
not the default ten.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.e2e.conftest import LiveRuntime, start_live

READ_TIMEOUT = 1.0


@pytest.fixture(scope="session")
def live() -> Iterator[LiveRuntime]:
    yield from start_live(
        {"CARE_HTTP_READ_TIMEOUT": str(READ_TIMEOUT), "CARE_HTTP_CONNECT_TIMEOUT": "1"},
        log_name="faults",
    )
