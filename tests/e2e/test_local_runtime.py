"""Black-box checks against `python -m local` over real HTTP."""

from __future__ import annotations

import signal
import time

import pytest
import requests

from tests import helpers
from tests.e2e.live import get, ok_json, send_telegram, wait_for

pytestmark = pytest.mark.e2e


def mentions(live):
    return ok_json(get(live, "/mentions"))["items"]


def test_health(live):
    assert requests.get(f"{live.url}/health", timeout=5).json() == {"status": "ok"}


def test_signed_update_shows_up_within_two_seconds_and_only_once(live):
    update = helpers.private_message(424242, message_id=4242, text="e2e: my parcel is late")
    started = time.monotonic()
    assert send_telegram(live, update).status_code == 200
    assert send_telegram(live, update).status_code == 200  # the platform retried

    found = wait_for(lambda: [m for m in mentions(live) if m["platform_id"] == "123456789:4242"])
    elapsed = time.monotonic() - started

    assert len(found) == 1
    assert elapsed < 2.0
    time.sleep(0.5)  # give a duplicate the chance to appear
    assert len([m for m in mentions(live) if m["platform_id"] == "123456789:4242"]) == 1


def test_wrongly_signed_update_is_rejected_and_never_stored(live):
    response = send_telegram(
        live, helpers.private_message(515151, message_id=5151), secret="forged"
    )

    assert response.status_code == 401
    assert response.json()["error"] == "unauthorized"
    time.sleep(1.0)
    assert not [m for m in mentions(live) if m["platform_id"] == "123456789:5151"]


def test_banner_names_the_fake_platforms_and_where_to_see_what_they_received(live):
    assert f"fake platforms {live.fake_url}" in live.banner
    assert f"curl -s {live.fake_url}/_fake/requests" in live.banner
    seen = requests.get(f"{live.fake_url}/_fake/requests", timeout=5)
    assert seen.status_code == 200
    assert set(seen.json()) == {"count", "items"}


def test_internal_routes_need_the_token(live):
    assert requests.get(f"{live.url}/mentions", timeout=5).status_code == 401


@pytest.mark.shutdown
def test_ctrl_c_stops_cleanly(live):
    """Runs after every other e2e test: the runtime stops on SIGINT and exits 0."""
    live.process.send_signal(signal.SIGINT)
    assert live.process.wait(timeout=15) == 0
