"""Black-box checks against `python -m local` over real HTTP."""

from __future__ import annotations

import signal
import time

import pytest
import requests

from tests import helpers

pytestmark = pytest.mark.e2e


def mentions(live):
    response = requests.get(
        f"{live.url}/mentions", headers={"Authorization": f"Bearer {live.admin_token}"}, timeout=5
    )
    assert response.status_code == 200
    return response.json()["items"]


def wait_for(predicate, timeout=2.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.1)
    return predicate()


def send(live, update, secret=helpers.TELEGRAM_SECRET):
    return requests.post(
        f"{live.url}/webhooks/telegram",
        data=helpers.compact(update),
        headers=helpers.telegram_headers(secret),
        timeout=5,
    )


def test_health(live):
    assert requests.get(f"{live.url}/health", timeout=5).json() == {"status": "ok"}


def test_signed_update_shows_up_within_two_seconds_and_only_once(live):
    update = helpers.private_message(424242, message_id=4242, text="e2e: my parcel is late")
    started = time.monotonic()
    assert send(live, update).status_code == 200
    assert send(live, update).status_code == 200  # the platform retried

    found = wait_for(lambda: [m for m in mentions(live) if m["platform_id"] == "123456789:4242"])
    elapsed = time.monotonic() - started

    assert len(found) == 1
    assert elapsed < 2.0
    time.sleep(0.5)  # give a duplicate the chance to appear
    assert len([m for m in mentions(live) if m["platform_id"] == "123456789:4242"]) == 1


def test_wrongly_signed_update_is_rejected_and_never_stored(live):
    response = send(live, helpers.private_message(515151, message_id=5151), secret="forged")

    assert response.status_code == 401
    assert response.json()["error"] == "unauthorized"
    time.sleep(1.0)
    assert not [m for m in mentions(live) if m["platform_id"] == "123456789:5151"]


def test_internal_routes_need_the_token(live):
    assert requests.get(f"{live.url}/mentions", timeout=5).status_code == 401


def test_ctrl_c_stops_cleanly(live):
    """Runs last in this module: the runtime stops on SIGINT and exits 0."""
    live.process.send_signal(signal.SIGINT)
    assert live.process.wait(timeout=15) == 0
