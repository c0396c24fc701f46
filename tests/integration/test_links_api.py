"""Tracked links: creation, UTM, redirect with atomic counting, refusal of non-http targets, and
links created for posts with tracking on."""

from __future__ import annotations

import json
import threading
from datetime import timedelta

from chalicelib.clock import from_iso, iso, utcnow
from chalicelib.platforms import sending
from chalicelib.publishing import links, sweep
from tests.conftest import bearer
from tests.publishing_fakes import FakeClient


def post_json(client, path, token, body):
    return client.http.post(
        path, headers={**bearer(token), "Content-Type": "application/json"}, body=json.dumps(body)
    )


def test_short_link_redirects_and_counts_every_click(client, agent_token, monkeypatch):
    monkeypatch.setenv("CARE_LINK_BASE_URL", "https://go.acme.test")
    from chalicelib.settings import get_settings

    get_settings.cache_clear()
    # Given a tracked link with UTM parameters
    created = post_json(
        client,
        "/links",
        agent_token,
        {
            "target": "https://acme.test/sale?ref=1",
            "utm": {"source": "newsletter", "campaign": "nowruz"},
        },
    )
    assert created.status_code == 201, created.body
    link = created.json_body
    assert link["short_url"] == f"https://go.acme.test/l/{link['code']}"

    # When it is followed (publicly, no token) three times
    for _ in range(3):
        response = client.http.get(f"/l/{link['code']}")
        # Then each answer is a 302 to the target with the UTM parameters
        assert response.status_code == 302
        assert response.headers["Location"] == (
            "https://acme.test/sale?ref=1&utm_source=newsletter&utm_campaign=nowruz"
        )

    # And the clicks were counted
    stored = client.http.get(f"/links/{link['code']}", headers=bearer(agent_token)).json_body
    assert stored["clicks"] == 3


def test_concurrent_clicks_are_all_counted(client, agent_token):
    link = links.create(target="https://acme.test/")
    threads = [threading.Thread(target=links.follow, args=(link["code"],)) for _ in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert links.get(link["code"])["clicks"] == 20


def test_unknown_code_is_a_json_404(client):
    for code in ("nope123", "a", "bad!code"):
        response = client.http.get(f"/l/{code}")
        assert response.status_code == 404
        assert response.json_body["error"] == "not_found"


def test_only_http_targets_are_accepted(client, agent_token):
    for target in (
        "javascript:alert(1)",
        "data:text/html,<script>",
        "//evil.test",
        "ftp://x.test/",
    ):
        response = post_json(client, "/links", agent_token, {"target": target})
        assert response.status_code == 422, target
        assert response.json_body["details"][0]["field"] == "target"


def test_custom_code_taken_is_a_conflict(client, agent_token):
    assert (
        post_json(
            client, "/links", agent_token, {"target": "https://a.test", "code": "spring"}
        ).status_code
        == 201
    )
    again = post_json(client, "/links", agent_token, {"target": "https://b.test", "code": "spring"})
    assert again.status_code == 409


def test_post_with_tracking_publishes_short_links(client, manager_token, monkeypatch):
    monkeypatch.setenv("CARE_LINK_BASE_URL", "https://go.acme.test")
    from chalicelib.settings import get_settings

    get_settings.cache_clear()
    fake = FakeClient()
    monkeypatch.setattr(sending, "client_for", lambda _platform: fake)
    # Given a post with tracking on and a link in its text
    created = post_json(
        client,
        "/posts",
        manager_token,
        {
            "network": "x",
            "account_id": "1600000000000000001",
            "track_links": True,
            "utm": {"campaign": "spring"},
            "text": "Spring sale: https://acme.test/sale. Don't miss it!",
        },
    )
    post_id = created.json_body["id"]
    scheduled = post_json(
        client,
        f"/posts/{post_id}/schedule",
        manager_token,
        {"scheduled_at": iso(utcnow() + timedelta(seconds=2))},
    ).json_body
    (tracked,) = scheduled["tracked_links"]

    # When it is published
    sweep.run(from_iso(scheduled["scheduled_at"]) + timedelta(seconds=1))

    # Then the platform got the short link, which redirects to the tagged target
    assert (
        fake.calls[0].text
        == f"Spring sale: https://go.acme.test/l/{tracked['code']}. Don't miss it!"
    )
    response = client.http.get(f"/l/{tracked['code']}")
    assert response.headers["Location"] == (
        "https://acme.test/sale?utm_source=x&utm_medium=social&utm_campaign=spring"
    )
