"""Issue 14 over HTTP (chalice.test.Client + moto): the triage listing (filters, cursor paging,
one Query of the sparse index, never a Scan), filing a mention on a ticket with its SLA from the
mention's own time, dismissing it, correcting labels, and the corrections the report counts."""

from __future__ import annotations

import itertools
import json
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from chalicelib import aws
from chalicelib.care import sla
from chalicelib.care.models import TicketDetail
from chalicelib.care.triage_models import (
    DismissResult,
    LabelsResult,
    TriagePage,
    TriageTicketResult,
)
from chalicelib.ingest.pipeline import handle_mention
from chalicelib.measure.reports import week_of
from chalicelib.models import Author, Mention, iso, utcnow
from chalicelib.settings import get_settings
from chalicelib.store import corrections
from chalicelib.store import mentions as mention_store
from tests.conftest import bearer

_ids = itertools.count(1)


class Outbox:
    def add(self, detail_type: str, detail: dict) -> None:
        pass


def comment(
    text: str,
    *,
    platform: str = "telegram",
    author: str | None = None,
    at: datetime | None = None,
) -> str:
    """Ingest a public comment under our post; returns its mention id."""
    n = next(_ids)
    mention = Mention(
        platform=platform,
        platform_id=f"c{n}",
        kind="comment",
        author=Author(id=author or f"u{n}", name="Kaveh"),
        text=text,
        created_at=at or utcnow() - timedelta(minutes=100 - n),
        parent_post_id="post-1",
        conversation_id="post-1",
        raw_ref=f"test:{n}",
    )
    handle_mention(mention, Outbox())
    return mention.id


def call(client, token, method, path, body=None, **query):
    url = path + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")
    headers = {**bearer(token), "Content-Type": "application/json"}
    raw = b"" if body is None else json.dumps(body).encode()
    return client.http.request(method, url, headers=headers, body=raw)


def triage(client, token, **query) -> dict[str, Any]:
    response = call(client, token, "GET", "/triage", **query)
    assert response.status_code == 200, response.json_body
    TriagePage.model_validate(response.json_body)
    return response.json_body


@pytest.fixture
def seeded(resources) -> dict[str, str]:
    """Five mentions kept out of the inbox, oldest first, and one that opened a ticket."""
    return {
        "praise_fa": comment("عالی بود، دمتون گرم 👏"),
        "praise_en": comment("love the new collection, great job!"),
        "praise_x": comment("amazing packaging, thanks a lot!", platform="x"),
        "chat_fa": comment("منم همینو گرفتم خیلی خوبه", author="peer"),
        "emoji": comment("😍😍"),
        "question": comment("ارسال به شیراز هم دارید؟"),
    }


def test_triage_lists_what_opened_no_ticket_newest_first_with_filters(client, agent_token, seeded):
    items = triage(client, agent_token)["items"]
    ids = [m["id"] for m in items]
    expected = ["emoji", "chat_fa", "praise_x", "praise_en", "praise_fa"]
    assert ids == [seeded[k] for k in expected]  # newest first; the question has a ticket
    assert {m["triage_reason"] for m in items} <= {"no_reply_needed", "low_confidence"}

    only_x = triage(client, agent_token, platform="x")["items"]
    assert [m["id"] for m in only_x] == [seeded["praise_x"]]
    english = triage(client, agent_token, language="en")["items"]
    assert {m["id"] for m in english} == {seeded["praise_en"], seeded["praise_x"]}
    praise = triage(client, agent_token, intent="praise")["items"]
    assert seeded["praise_fa"] in [m["id"] for m in praise]
    assert all(m["intent"] == "praise" for m in praise)
    reason = items[0]["triage_reason"]
    by_reason = triage(client, agent_token, reason=reason)["items"]
    assert by_reason
    assert all(m["triage_reason"] == reason for m in by_reason)
    assert triage(client, agent_token, platform="linkedin")["items"] == []


def test_triage_pages_with_a_cursor(client, agent_token, seeded):
    seen: list[str] = []
    cursor = None
    for _ in range(5):
        page = triage(client, agent_token, limit=2, **({"cursor": cursor} if cursor else {}))
        seen += [m["id"] for m in page["items"]]
        cursor = page["next_cursor"]
        if not cursor:
            break
    assert len(seen) == 5
    assert len(set(seen)) == 5
    bad = call(client, agent_token, "GET", "/triage", cursor="not-a-cursor")
    assert bad.status_code == 400
    wrong = call(client, agent_token, "GET", "/triage", reason="because")
    assert wrong.status_code == 422
    assert wrong.json_body["details"][0]["field"] == "reason"


def test_triage_reads_one_sparse_index_partition_and_never_scans(
    client, agent_token, seeded, monkeypatch
):
    calls: list[tuple[str, dict[str, Any]]] = []
    real = aws.dynamodb()

    class Spy:
        def __getattr__(self, name):
            method = getattr(real, name)

            def recorded(**kwargs):
                calls.append((name, kwargs))
                return method(**kwargs)

            return recorded

    monkeypatch.setattr(aws, "dynamodb", lambda: Spy())
    triage(client, agent_token, platform="telegram", intent="praise")

    operations = [name for name, _ in calls if name not in ("get_item",)]  # the token check
    assert "scan" not in operations
    queries = [kwargs for name, kwargs in calls if name == "query"]
    assert queries
    for query in queries:
        assert query["IndexName"] == "gsi3"
        assert query["KeyConditionExpression"].startswith("#pk = :pk")
        assert query["ExpressionAttributeNames"]["#pk"] == "gsi3pk"
        assert query["ExpressionAttributeValues"][":pk"] == {"S": "TRIAGE"}


def test_a_ticket_from_triage_starts_its_sla_at_the_mentions_time(
    client, agent_token, resources, monkeypatch
):
    started: list[dict[str, Any]] = []
    real_start = sla.workflow.start
    monkeypatch.setattr(
        sla.workflow,
        "start",
        lambda name, payload: started.append(payload) or real_start(name, payload),
    )
    written = datetime.now(UTC).replace(microsecond=0) - timedelta(hours=3)
    mention_id = comment("منم همینو گرفتم", at=written)

    response = call(client, agent_token, "POST", f"/mentions/{mention_id}/ticket", {})

    assert response.status_code == 201, response.json_body
    result = TriageTicketResult.model_validate(response.json_body)
    ticket = result.ticket
    assert result.opened is True
    assert ticket.opened_at == iso(written)
    ack = timedelta(seconds=get_settings().sla_ack_seconds)
    assert ticket.ack_due_at == iso(written + ack)
    assert ticket.created_at > ticket.opened_at  # the record is new, the clock is not
    # the SLA run waits for the deadlines computed from the mention's time
    assert started[-1]["ack"]["due_at"].startswith(iso(written + ack)[:19])
    # the mention left triage and the decision is a labelled correction
    assert mention_id not in [m["id"] for m in triage(client, agent_token)["items"]]
    (correction,) = corrections.of_mention(mention_id)
    assert (correction["source"], correction["after"]["needs_reply"]) == ("triage", True)
    assert correction["who"] == "test agent"

    # Again: the mention is on its ticket already (200, nothing new stored)
    again = call(client, agent_token, "POST", f"/mentions/{mention_id}/ticket", {})
    assert again.status_code == 200
    assert again.json_body["ticket"]["id"] == ticket.id
    assert again.json_body["opened"] is False
    assert len(corrections.of_mention(mention_id)) == 1


def test_a_ticket_from_triage_joins_the_authors_open_ticket(client, agent_token, resources):
    question = comment("ارسال به شیراز هم دارید؟", author="same")
    chat = comment("😍😍", author="other")
    question_ticket = mention_store.get_by_id(question)["ticket_id"]

    joined = call(client, agent_token, "POST", f"/mentions/{chat}/ticket", {"priority": "high"})
    assert joined.status_code == 201  # another author: its own ticket, at the asked priority
    assert joined.json_body["ticket"]["priority"] == "high"
    assert joined.json_body["ticket"]["id"] != question_ticket
    missing = call(client, agent_token, "POST", "/mentions/telegram:nope/ticket", {})
    assert missing.status_code == 404
    bad = call(client, agent_token, "POST", f"/mentions/{chat}/ticket", {"priority": "asap"})
    assert bad.status_code == 422
    assert bad.json_body["details"][0]["field"] == "priority"


def test_dismiss_clears_a_mention_from_triage_with_a_reason(client, agent_token, seeded):
    target = seeded["emoji"]
    response = call(
        client, agent_token, "POST", f"/mentions/{target}/dismiss", {"reason": "no_reply_needed"}
    )

    assert response.status_code == 200, response.json_body
    result = DismissResult.model_validate(response.json_body)
    assert result.mention.dismissal["reason"] == "no_reply_needed"
    assert result.mention.dismissal["by"] == "test agent"
    assert (result.correction.source, result.correction.after.needs_reply) == ("triage", False)
    assert target not in [m["id"] for m in triage(client, agent_token)["items"]]

    twice = call(client, agent_token, "POST", f"/mentions/{target}/dismiss", {"reason": "spam"})
    assert twice.status_code == 409
    ticketed = call(
        client, agent_token, "POST", f"/mentions/{seeded['question']}/dismiss", {"reason": "other"}
    )
    assert ticketed.status_code == 409
    assert (
        call(client, agent_token, "POST", "/mentions/x:1/dismiss", {"reason": "spam"}).status_code
        == 404
    )
    no_reason = call(client, agent_token, "POST", f"/mentions/{seeded['chat_fa']}/dismiss", {})
    assert no_reason.status_code == 422
    assert no_reason.json_body["details"][0]["field"] == "reason"
    spam = call(
        client, agent_token, "POST", f"/mentions/{seeded['chat_fa']}/dismiss", {"reason": "spam"}
    )
    assert spam.json_body["correction"]["after"] == {
        "intent": "other",
        "needs_reply": False,
        "spam": True,
    }


def test_labels_are_corrected_on_a_mention_and_its_ticket_view_shows_it(
    client, agent_token, seeded
):
    mention_id = seeded["question"]
    before = mention_store.get_by_id(mention_id)
    ticket_id = before["ticket_id"]

    response = call(
        client,
        agent_token,
        "PATCH",
        f"/mentions/{mention_id}/labels",
        {"intent": "complaint", "sentiment": "negative"},
    )

    assert response.status_code == 200, response.json_body
    result = LabelsResult.model_validate(response.json_body)
    assert (result.mention.intent, result.mention.sentiment) == ("complaint", "negative")
    assert result.mention.machine_labels.intent == before["intent"]
    assert result.correction is not None
    assert result.correction.source == "labels"
    assert result.correction.before.intent == before["intent"]
    assert result.correction.after.intent == "complaint"
    detail = call(client, agent_token, "GET", f"/tickets/{ticket_id}").json_body
    TicketDetail.model_validate(detail)
    assert detail["labels"] == {"intent": "complaint", "sentiment": "negative", "corrected": True}
    assert detail["mentions"][0]["intent"] == "complaint"

    # The same labels again change nothing and store nothing
    same = call(
        client, agent_token, "PATCH", f"/mentions/{mention_id}/labels", {"intent": "complaint"}
    )
    assert same.status_code == 200
    assert same.json_body["correction"] is None
    assert len(corrections.of_mention(mention_id)) == 1
    empty = call(client, agent_token, "PATCH", f"/mentions/{mention_id}/labels", {})
    assert empty.status_code == 422
    wrong = call(client, agent_token, "PATCH", f"/mentions/{mention_id}/labels", {"intent": "rant"})
    assert wrong.status_code == 422
    assert wrong.json_body["details"][0]["field"] == "intent"
    gone = call(client, agent_token, "PATCH", "/mentions/telegram:none/labels", {"intent": "other"})
    assert gone.status_code == 404


def test_the_care_report_counts_triage_tickets_and_corrected_labels_per_week(
    client, agent_token, manager_token, seeded
):
    call(
        client,
        agent_token,
        "POST",
        f"/mentions/{seeded['praise_fa']}/ticket",
        {"intent": "complaint"},
    )
    call(client, agent_token, "POST", f"/mentions/{seeded['praise_en']}/ticket", {})
    call(client, agent_token, "POST", f"/mentions/{seeded['emoji']}/dismiss", {"reason": "other"})
    call(
        client,
        agent_token,
        "PATCH",
        f"/mentions/{seeded['chat_fa']}/labels",
        {"sentiment": "negative"},
    )
    call(
        client,
        agent_token,
        "PATCH",
        f"/mentions/{seeded['question']}/labels",
        {"intent": "complaint"},
    )

    report = call(client, manager_token, "GET", "/reports/care").json_body

    this_week = week_of(utcnow().date().isoformat())
    assert report["intake"]["by_week"] == [
        {
            "week": this_week,
            "opened_from_triage": 2,
            "opened_by_hand": 0,
            "dismissed": 1,
            "labels_corrected": 3,  # praise_fa's intent with its ticket, and the two PATCHes
        }
    ]
    assert report["intake"]["total"]["opened_from_triage"] == 2
    stored = list(corrections.iter_all())
    assert sorted(c["source"] for c in stored) == ["labels", "labels", "triage", "triage", "triage"]
    csv = call(client, manager_token, "GET", "/reports/care", format="csv").body.decode()
    (row,) = [line for line in csv.splitlines() if line.startswith("intake,")]
    assert row.startswith(f"intake,{this_week},")
