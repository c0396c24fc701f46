"""Races through the real local runtime: real threads, real HTTP, the runtime's moto serialising
DynamoDB writes as DynamoDB would (local/moto_patches.py).

Before that patch moto's threaded server let two `version = :old` writes both win (7 in 300);
these tests would then see two winners.
"""

from __future__ import annotations

import threading
from typing import Any

import pytest
import requests

from tests import helpers
from tests.e2e.live import TIMEOUT, dm, get, ok_json, send_telegram, ticket_of
from tests.faults.faults import open_ticket, sends, wait_for

pytestmark = pytest.mark.e2e

RACERS = 8


def race(calls: list[Any]) -> list[Any]:
    """Run every call at the same moment on its own thread; their results in order."""
    barrier = threading.Barrier(len(calls))
    results: list[Any] = [None] * len(calls)

    def run(i: int) -> None:
        barrier.wait()
        results[i] = calls[i]()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(calls))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


def _post(live, path: str, body: dict[str, Any]):
    return lambda: requests.post(f"{live.url}{path}", headers=live.auth, json=body, timeout=30)


@pytest.mark.parametrize("trial", range(3))
def test_racing_version_locked_writes_have_exactly_one_winner(live, trial):
    # Given a ticket, and eight agents pausing it at the same moment (a write without a message:
    # only the version lock decides)
    ticket = open_ticket(live, 6_200_000 + trial)
    acked = ok_json(
        requests.post(
            f"{live.url}/tickets/{ticket['id']}/acknowledge",
            headers=live.auth,
            json={"text": "Looking into it"},
            timeout=30,
        )
    )["ticket"]

    results = race([_post(live, f"/tickets/{ticket['id']}/pause", {}) for _ in range(RACERS)])

    # Then exactly one wins; the others are told the ticket changed
    statuses = sorted(r.status_code for r in results)
    assert statuses == [200] + [409] * (RACERS - 1), [r.text for r in results]
    detail = ok_json(get(live, f"/tickets/{ticket['id']}"))
    assert [h["action"] for h in detail["history"]].count("pause") == 1
    assert detail["status"] == "waiting"
    assert detail["version"] == acked["version"] + 1


def test_agents_acknowledging_with_a_message_at_once_send_one_message(live):
    # Given a ticket, and eight agents acknowledging it with a message at the same moment
    ticket = open_ticket(live, 6_200_100)
    chat = 6_200_100

    results = race(
        [_post(live, f"/tickets/{ticket['id']}/acknowledge", {"text": "On it!"})] * RACERS
    )

    # Then one wins, the rest get 409, and the customer received exactly one message
    statuses = sorted(r.status_code for r in results)
    assert statuses == [200] + [409] * (RACERS - 1), [r.text for r in results]
    assert len(sends(live, chat)) == 1
    detail = ok_json(get(live, f"/tickets/{ticket['id']}"))
    assert detail["status"] == "acknowledged"
    assert "pending_action" not in detail


def test_duplicate_and_concurrent_deliveries_store_once_and_open_one_ticket(live):
    # Given one customer message delivered eight times at once, then twice more later
    chat = 6_200_200
    update = dm(chat, 1, "My parcel arrived broken, I want a refund")
    results = race([lambda: send_telegram(live, update)] * RACERS)
    assert [r.status_code for r in results] == [200] * RACERS
    assert send_telegram(live, update).status_code == 200
    assert send_telegram(live, update).status_code == 200

    # Then it is stored once and opened one ticket
    mention_id = f"telegram:{chat}:1"
    ticket = wait_for(lambda: ticket_of(live, mention_id), timeout=15, every=0.2)
    assert ticket
    wait_for(lambda: False, timeout=2)  # let every copy be consumed
    mentions = ok_json(get(live, "/mentions", limit=100))["items"]
    assert [m["id"] for m in mentions].count(mention_id) == 1
    tickets = ok_json(get(live, "/tickets", limit=100))["items"]
    assert sum(1 for t in tickets if mention_id in t["mention_ids"]) == 1
    detail = ok_json(get(live, f"/tickets/{ticket['id']}"))
    assert detail["mention_count"] == 1


def test_concurrent_follow_ups_all_join_the_one_ticket(live):
    # Given a conversation whose customer sends five different messages at the same moment
    chat = 6_200_300
    updates = [dm(chat, n, f"Message {n}: where is my refund?") for n in range(1, 6)]
    results = race([lambda u=u: send_telegram(live, u) for u in updates])
    assert [r.status_code for r in results] == [200] * 5

    # Then one ticket holds all five, none lost to a race
    def joined() -> dict[str, Any] | None:
        ticket = ticket_of(live, f"telegram:{chat}:1") or ticket_of(live, f"telegram:{chat}:2")
        if ticket is None:
            return None
        detail = ok_json(get(live, f"/tickets/{ticket['id']}"))
        return detail if detail.get("mention_count") == 5 else None

    detail = wait_for(joined, timeout=20, every=0.3)
    assert detail, "the five messages did not all join one ticket"
    assert sorted(detail["mention_ids"]) == sorted(f"telegram:{chat}:{n}" for n in range(1, 6))
    tickets = ok_json(get(live, "/tickets", limit=100))["items"]
    assert sum(1 for t in tickets if str(t["conversation"]["conversation_id"]) == str(chat)) == 1


def test_an_event_id_sqs_would_refuse_is_still_delivered(live):
    # Given a signed generic webhook whose id carries a character SQS refuses in attributes
    body = helpers.compact(helpers.generic_event(id="bad\uffffid", text="@acme hello there"))
    response = requests.post(
        f"{live.url}/webhooks/generic",
        data=body,
        headers=helpers.generic_headers(body),
        timeout=TIMEOUT,
    )
    assert response.status_code == 200, response.text

    # Then it is consumed and stored (moto would have failed every receive around it)
    def stored():
        items = ok_json(get(live, "/mentions", limit=100, platform="mastodon"))["items"]
        return [m for m in items if m["platform_id"] == "bad\uffffid"]

    assert wait_for(stored, timeout=10, every=0.3)


def _moto_url(live) -> str:
    line = next(line for line in live.banner.splitlines() if "AWS (moto)" in line)
    return line.split()[-1]


def test_the_runtimes_dynamodb_lets_one_of_two_racing_conditional_writes_win(live):
    """The property everything above rests on, measured where it broke: two threads racing
    `version = :old` UpdateItems against the runtime's own moto endpoint, 300 times. Unpatched,
    both won 7 times in 300."""
    import boto3
    from botocore.config import Config

    config = Config(max_pool_connections=4, retries={"max_attempts": 1})
    clients = [
        boto3.client(
            "dynamodb",
            endpoint_url=_moto_url(live),
            region_name="us-east-1",
            aws_access_key_id="local",
            aws_secret_access_key="local",
            config=config,
        )
        for _ in range(2)
    ]
    table = "carecycle"
    both_won = 0
    for round_ in range(300):
        key = {"pk": {"S": f"RACE#{round_}"}, "sk": {"S": "RACE"}}
        clients[0].put_item(TableName=table, Item={**key, "version": {"N": "0"}})

        def write(client, who: str, key=key) -> bool:
            try:
                client.update_item(
                    TableName=table,
                    Key=key,
                    UpdateExpression="SET version = :new, winner = :who",
                    ConditionExpression="version = :old",
                    ExpressionAttributeValues={
                        ":old": {"N": "0"},
                        ":new": {"N": "1"},
                        ":who": {"S": who},
                    },
                )
            except client.exceptions.ConditionalCheckFailedException:
                return False
            return True

        wins = race([lambda c=c, n=n: write(c, f"w{n}") for n, c in enumerate(clients)])
        both_won += wins == [True, True]
        assert any(wins)
    assert both_won == 0
