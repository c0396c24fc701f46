"""Posts, approval, cadence and the calendar through the HTTP API."""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest

from chalicelib.models import iso, utcnow
from chalicelib.settings import get_settings
from tests.conftest import bearer


def call(client, method, path, token, body=None):
    kwargs = {"headers": {**bearer(token), "Content-Type": "application/json"}}
    if body is not None:
        kwargs["body"] = json.dumps(body)
    return getattr(client.http, method)(path, **kwargs)


# An account of each network, shaped as the network's ids are.
ACCOUNTS = {
    "telegram": "@acme",
    "x": "me",
    "instagram": "1784",
    "facebook": "100",
    "linkedin": "urn:li:organization:1",
}


def create(client, token, **fields):
    network = fields.get("network", "telegram")
    body = {"network": network, "account_id": ACCOUNTS[network], "text": "Hello", **fields}
    response = call(client, "post", "/posts", token, body)
    assert response.status_code == 201, response.body
    return response.json_body


def future(days=2, hour=None):
    at = utcnow() + timedelta(days=days)
    if hour is not None:
        at = at.replace(hour=hour, minute=0, second=0, microsecond=0)
    return at


@pytest.fixture
def approval(monkeypatch):
    monkeypatch.setenv("CARE_POSTS_REQUIRE_APPROVAL", "true")
    get_settings.cache_clear()


def test_crud_and_listing(client, agent_token):
    post = create(client, agent_token, text="Draft one")
    assert post["status"] == "draft"
    assert post["created_by"]["role"] == "agent"

    edited = call(client, "patch", f"/posts/{post['id']}", agent_token, {"text": "Draft two"})
    assert edited.status_code == 200
    assert edited.json_body["text"] == "Draft two"
    assert edited.json_body["version"] == 2

    listed = call(client, "get", "/posts?status=draft", agent_token).json_body["items"]
    assert [p["id"] for p in listed] == [post["id"]]

    assert call(client, "delete", f"/posts/{post['id']}", agent_token).status_code == 204
    assert call(client, "get", f"/posts/{post['id']}", agent_token).status_code == 404


def test_validation_errors_name_the_field(client, agent_token):
    cases = [
        ({"network": "x", "account_id": "me", "text": "字" * 141}, "text"),
        ({"network": "instagram", "account_id": "1784", "text": "no picture"}, "media_urls"),
        ({"network": "telegram", "media_urls": ["data:image/png;base64,AAAA"]}, "media_urls.0"),
        (
            {"network": "linkedin", "account_id": "urn:li:organization:1", "text": "a" * 3001},
            "text",
        ),
        # account ids are interpolated into Graph paths and written into exports
        ({"network": "instagram", "account_id": "../me/messages"}, "account_id"),
        ({"network": "telegram", "account_id": '=HYPERLINK("https://evil")'}, "account_id"),
        ({"network": "linkedin", "account_id": "acme"}, "account_id"),
        ({"network": "myspace"}, "network"),
        ({"scheduled_at": "2001-01-01T10:00:00Z"}, "scheduled_at"),
        ({"scheduled_at": "soon"}, "scheduled_at"),
        ({"timezone": "Nowhere/City"}, "timezone"),
    ]
    for fields, field in cases:
        body = {"network": "telegram", "account_id": "@acme", "text": "Hi", **fields}
        response = call(client, "post", "/posts", agent_token, body)
        assert response.status_code == 422, (fields, response.body)
        assert field in {d["field"] for d in response.json_body["details"]}, response.json_body


def test_scheduling_in_the_past_is_refused(client, manager_token):
    post = create(client, manager_token)
    response = call(
        client,
        "post",
        f"/posts/{post['id']}/schedule",
        manager_token,
        {"scheduled_at": iso(utcnow() - timedelta(minutes=1))},
    )
    assert response.status_code == 422
    assert response.json_body["details"][0]["field"] == "scheduled_at"


def test_agent_post_needs_a_managers_approval(client, agent_token, manager_token, approval):
    # Given approval is on and an agent schedules a post
    post = create(client, agent_token)
    response = call(
        client,
        "post",
        f"/posts/{post['id']}/schedule",
        agent_token,
        {"scheduled_at": iso(future())},
    )

    # Then it waits for approval, out of the sweep's reach
    assert response.json_body["status"] == "pending_approval"

    # And an agent cannot approve it
    assert call(client, "post", f"/posts/{post['id']}/approve", agent_token).status_code == 403

    # When a manager approves it, it is scheduled and records who approved
    approved = call(client, "post", f"/posts/{post['id']}/approve", manager_token)
    assert approved.status_code == 200
    assert approved.json_body["status"] == "scheduled"
    assert approved.json_body["approved_by"]["role"] == "manager"

    # And approving twice is a conflict
    again = call(client, "post", f"/posts/{post['id']}/approve", manager_token)
    assert again.status_code == 409

    # When the agent edits the approved post, it goes back to draft (needs approval again)
    edited = call(client, "patch", f"/posts/{post['id']}", agent_token, {"text": "changed"})
    assert edited.json_body["status"] == "draft"
    assert "approved_by" not in edited.json_body


def test_manager_schedules_directly_when_approval_is_on(client, manager_token, approval):
    post = create(client, manager_token)
    response = call(
        client,
        "post",
        f"/posts/{post['id']}/schedule",
        manager_token,
        {"scheduled_at": iso(future())},
    )
    assert response.json_body["status"] == "scheduled"


def test_without_approval_an_agent_schedules_directly(client, agent_token):
    post = create(client, agent_token)
    response = call(
        client,
        "post",
        f"/posts/{post['id']}/schedule",
        agent_token,
        {"scheduled_at": iso(future())},
    )
    assert response.json_body["status"] == "scheduled"


def set_cadence(client, token, **rule):
    response = call(client, "put", "/calendar", token, {"network": "telegram", **rule})
    assert response.status_code == 200, response.body
    return response.json_body


def schedule(client, token, at, **fields):
    post = create(client, token, **fields)
    return call(client, "post", f"/posts/{post['id']}/schedule", token, {"scheduled_at": at})


def test_cadence_minimum_gap_conflict_names_the_post_and_the_next_free_slot(
    client, manager_token, agent_token
):
    # Given at least 2 h between Telegram posts, and one post at 10:00 UTC
    assert call(client, "put", "/calendar", agent_token, {"network": "telegram"}).status_code == 403
    set_cadence(client, manager_token, min_gap_minutes=120, timezone="UTC")
    day = future(days=3, hour=10)
    first = schedule(client, manager_token, iso(day)).json_body

    # When another is scheduled at 11:00
    response = schedule(client, manager_token, iso(day + timedelta(hours=1)))

    # Then 409 names the conflicting post and the next free slot (12:00)
    assert response.status_code == 409
    details = response.json_body["details"]
    gap = next(d for d in details if d.get("rule") == "min_gap")
    assert [p["id"] for p in gap["posts"]] == [first["id"]]
    slot = next(d for d in details if "next_free_slot" in d)
    assert slot["next_free_slot"] == iso(day + timedelta(hours=2))

    # And another network is not affected
    assert (
        schedule(client, manager_token, iso(day + timedelta(hours=1)), network="x").status_code
        == 200
    )

    # And the next-slot query agrees
    slot_query = call(
        client,
        "get",
        f"/calendar/next-slot?network=telegram&account_id=@acme&after={iso(day)}",
        manager_token,
    )
    assert slot_query.json_body["slot_at"] == iso(day + timedelta(hours=2))


def test_cadence_daily_limit_and_windows_in_tehran_time(client, manager_token):
    # Given 2 posts a day between 09:00 and 12:00 Tehran time
    set_cadence(
        client,
        manager_token,
        max_per_day=2,
        timezone="Asia/Tehran",
        windows=[{"start": "09:00", "end": "12:00"}],
    )
    day = (utcnow() + timedelta(days=5)).date().isoformat()

    # Then a post at 13:00 Tehran is outside the window, and the next slot is 09:00 next day
    outside = schedule(client, manager_token, f"{day}T13:00:00+03:30")
    assert outside.status_code == 409
    assert outside.json_body["details"][0]["rule"] == "window"

    # And two posts fit, a third the same day does not
    assert schedule(client, manager_token, f"{day}T09:00:00+03:30").status_code == 200
    assert schedule(client, manager_token, f"{day}T10:00:00+03:30").status_code == 200
    third = schedule(client, manager_token, f"{day}T11:00:00+03:30")
    assert third.status_code == 409
    rules = {d.get("rule") for d in third.json_body["details"]}
    assert "max_per_day" in rules
    slot = third.json_body["details"][-1]
    assert slot["next_free_slot_local"].endswith("T09:00:00+03:30")
    assert slot["next_free_slot_local"] > f"{day}T23"


def second_sunday_of_march(year):
    first = date(year, 3, 1)
    return first + timedelta(days=(6 - first.weekday()) % 7 + 7)


def test_posts_entered_in_tehran_and_new_york_are_stored_in_utc(client, manager_token):
    # Given a post entered as 09:00 Tehran time (no offset, explicit zone)
    year = utcnow().year + 1
    tehran = create(
        client, manager_token, scheduled_at=f"{year}-06-01T09:00", timezone="Asia/Tehran"
    )
    # Then it is stored at 05:30 UTC and shown back in Tehran time
    assert tehran["scheduled_at"] == f"{year}-06-01T05:30:00.000Z"
    assert tehran["scheduled_local"] == f"{year}-06-01T09:00:00+03:30"

    # Given New York posts on both sides of the DST change
    winter = create(
        client, manager_token, scheduled_at=f"{year}-01-15T09:00", timezone="America/New_York"
    )
    summer = create(
        client, manager_token, scheduled_at=f"{year}-07-15T09:00", timezone="America/New_York"
    )
    assert winter["scheduled_at"] == f"{year}-01-15T14:00:00.000Z"
    assert summer["scheduled_at"] == f"{year}-07-15T13:00:00.000Z"

    # And a time that does not exist (spring forward) is refused
    skipped = call(
        client,
        "post",
        "/posts",
        manager_token,
        {
            "network": "x",
            "account_id": "me",
            "text": "hi",
            "timezone": "America/New_York",
            "scheduled_at": f"{year}-03-08T02:30" if year == 2026 else f"{year}-03-14T02:30",
        },
    )
    assert skipped.status_code == 422
    assert skipped.json_body["details"][0]["field"] == "scheduled_at"


def test_default_zone_comes_from_care_timezone(client, manager_token, monkeypatch):
    monkeypatch.setenv("CARE_TIMEZONE", "Asia/Tehran")
    get_settings.cache_clear()
    year = utcnow().year + 1
    post = create(client, manager_token, scheduled_at=f"{year}-02-01T20:00")
    assert post["timezone"] == "Asia/Tehran"
    assert post["scheduled_at"] == f"{year}-02-01T16:30:00.000Z"


def test_calendar_shows_the_plan_per_network_in_the_requested_zone(client, manager_token):
    day = future(days=4, hour=8)
    schedule(client, manager_token, iso(day))
    schedule(client, manager_token, iso(day + timedelta(hours=3)), network="x")
    create(client, manager_token, scheduled_at=iso(day + timedelta(days=20)))  # outside the range

    start = (day - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M")
    end = (day + timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
    response = call(
        client, "get", f"/calendar?from={start}Z&to={end}Z&tz=Asia/Tehran", manager_token
    )

    assert response.status_code == 200, response.body
    plan = response.json_body
    assert plan["timezone"] == "Asia/Tehran"
    assert set(plan["networks"]) == {"telegram", "x"}
    (tg,) = plan["networks"]["telegram"]
    assert tg["scheduled_local"].endswith("+03:30")
    assert tg["status"] == "scheduled"


def test_calendar_range_is_bounded(client, manager_token):
    response = call(
        client, "get", "/calendar?from=2030-01-01T00:00Z&to=2031-01-01T00:00Z", manager_token
    )
    assert response.status_code == 422
    assert response.json_body["details"][0]["field"] == "to"


def test_cancel_rules(client, manager_token):
    post = create(client, manager_token)
    assert (
        call(client, "post", f"/posts/{post['id']}/cancel", manager_token).json_body["status"]
        == "cancelled"
    )
    again = call(client, "post", f"/posts/{post['id']}/cancel", manager_token)
    assert again.status_code == 409
    assert again.json_body["details"][0]["status"] == "cancelled"
