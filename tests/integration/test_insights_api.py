"""POST /insights/observations (JSON and CSV, row-numbered 422s), GET /insights/best-times on
competitors' data or nothing, and the calendar's next slot preferring the best times."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

from chalicelib.clock import iso, utcnow
from tests.conftest import bearer

DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def observations_csv() -> tuple[bytes, str]:
    """Rival does best at 19:00 UTC on the weekday a week ago; the rest is mediocre."""
    week_ago = (utcnow() - timedelta(days=7)).replace(hour=19, minute=10, second=0, microsecond=0)
    rows = [
        ("rival", week_ago, "a1", 90, 10, "1000", ""),
        ("rival", week_ago - timedelta(days=7), "a2", 80, 20, "1000", ""),
        ("rival", week_ago - timedelta(days=3, hours=10), "a3", 20, 0, "1000", ""),
        ("other", week_ago - timedelta(days=2, hours=6), "", 30, 0, "", "1500"),
    ]
    lines = ["network,account,posted_at,post_id,reactions,comments,shares,impressions,followers"]
    lines += [f"instagram,{a},{iso(t)},{p},{r},{c},0,{i},{f}" for a, t, p, r, c, i, f in rows]
    return ("\n".join(lines) + "\n").encode(), DAYS[week_ago.weekday()]


def upload(client, token, body, content_type):
    return client.http.post(
        "/insights/observations",
        headers={**bearer(token), "Content-Type": content_type},
        body=body,
    )


def test_a_csv_upload_is_stored_once_and_feeds_best_times(client, resources, manager_token):
    csv_body, weekday = observations_csv()
    first = upload(client, manager_token, csv_body, "text/csv")
    again = upload(client, manager_token, csv_body, "text/csv")

    assert first.status_code == 201, first.json_body
    assert first.json_body == {"stored": 4, "networks": {"instagram": 4}}
    assert again.status_code == 201

    from chalicelib.store import measure as store

    assert len(store.observations_since("instagram", "2025-01-01")) == 4  # not 8

    found = client.http.get(
        "/insights/best-times?network=instagram", headers=bearer(manager_token)
    ).json_body
    assert found["basis"] == "competitors"
    assert found["sample_sizes"]["competitor_observations"] == 4
    assert (found["top_slots"][0]["weekday"], found["top_slots"][0]["hour"]) == (weekday, 19)


def test_bad_rows_are_422_with_their_row_numbers_and_nothing_is_stored(
    client, resources, manager_token
):
    body = b"""network,account,posted_at,reactions,impressions
instagram,rival,2025-03-06T19:10:00Z,5,100
myspace,rival,2025-03-06T19:10:00Z,5,100
instagram,rival,yesterday,5,100
instagram,rival,2025-03-06T19:10:00Z,-1,100
instagram,rival,2025-03-06T19:10:00Z,5,
"""
    response = upload(client, manager_token, body, "text/csv")

    assert response.status_code == 422
    problems = {(d["row"], d["field"]) for d in response.json_body["details"]}
    assert problems == {(3, "network"), (4, "posted_at"), (5, "reactions"), (6, "impressions")}
    from chalicelib.store import measure as store

    assert store.observations_since("instagram", "2025-01-01") == []


def test_a_json_list_is_accepted_and_checked(client, resources, manager_token):
    good = [
        {
            "network": "x",
            "account": "rival",
            "posted_at": "2025-03-06T10:00:00Z",
            "reactions": 4,
            "views": 200,
        }
    ]
    assert upload(client, manager_token, json.dumps(good), "application/json").status_code == 201
    bad = upload(client, manager_token, json.dumps([*good, {"network": "x"}]), "application/json")
    assert bad.status_code == 422
    assert {d["row"] for d in bad.json_body["details"]} == {2}
    not_a_list = upload(client, manager_token, json.dumps({"a": 1}), "application/json")
    assert not_a_list.status_code == 422


def test_best_times_with_no_data_is_the_neutral_prior(client, resources, agent_token):
    found = client.http.get("/insights/best-times?network=x", headers=bearer(agent_token))

    assert found.status_code == 200
    assert found.json_body["basis"] == "prior"
    assert found.json_body["top_slots"] == []
    assert len(found.json_body["grid"]) == 7
    unknown = client.http.get("/insights/best-times?network=myspace", headers=bearer(agent_token))
    assert unknown.status_code == 422


def test_next_slot_can_prefer_the_best_times(client, resources, manager_token, agent_token):
    # Competitors do best at 19:00 UTC on every weekday (and poorly at 09:00)
    now = utcnow()
    rows = []
    for days in range(1, 15):
        day = (now - timedelta(days=days)).replace(minute=5, second=0, microsecond=0)
        rows.append({"at": day.replace(hour=19), "reactions": 100})
        rows.append({"at": day.replace(hour=9), "reactions": 10})
    body = [
        {
            "network": "x",
            "account": "rival",
            "posted_at": iso(r["at"]),
            "reactions": r["reactions"],
            "impressions": 1000,
        }
        for r in rows
    ]
    assert upload(client, manager_token, json.dumps(body), "application/json").status_code == 201

    plain = client.http.get(
        "/calendar/next-slot?network=x&account_id=me", headers=bearer(agent_token)
    ).json_body
    best = client.http.get(
        "/calendar/next-slot?network=x&account_id=me&prefer=best_times",
        headers=bearer(agent_token),
    ).json_body

    assert "best_time" not in plain
    assert datetime.fromisoformat(best["slot_at"].replace("Z", "+00:00")).astimezone(UTC).hour == 19
    assert best["best_time"]["basis"] == "competitors"
