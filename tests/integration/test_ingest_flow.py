"""Webhook → SQS → consumer → table, through the Chalice test client and moto."""

from __future__ import annotations

import json
import uuid

import boto3
import pytest

from chalicelib import aws
from chalicelib.definitions import INGEST_DLQ, INGEST_QUEUE
from chalicelib.ingest.consumer import handle_batch
from local.lambda_events import sqs_event
from tests import helpers
from tests.conftest import bearer


def post_telegram(client, update, secret=helpers.TELEGRAM_SECRET):
    return client.http.post(
        "/webhooks/telegram", headers=helpers.telegram_headers(secret), body=helpers.compact(update)
    )


def queue_depth(resources, name):
    attributes = boto3.client("sqs").get_queue_attributes(
        QueueUrl=resources.queue_urls[name],
        AttributeNames=["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"],
    )["Attributes"]
    return int(attributes["ApproximateNumberOfMessages"]) + int(
        attributes["ApproximateNumberOfMessagesNotVisible"]
    )


def list_mentions(client, token, query=""):
    response = client.http.get(f"/mentions{query}", headers=bearer(token))
    assert response.status_code == 200, response.body
    return response.json_body


def test_signed_update_is_enqueued_consumed_and_listed(client, pump, admin_token):
    # Given a signed Telegram comment
    response = post_telegram(client, helpers.discussion_comment())

    # Then the webhook answers 200 at once, before any processing
    assert response.status_code == 200
    assert response.json_body == {"ok": True, "event_id": "telegram:810000005"}

    # When the consumer runs
    assert pump.drain() == 1

    # Then the mention is listed with its normalised fields
    (mention,) = list_mentions(client, admin_token)["items"]
    assert mention["id"] == "telegram:-1009876543210:5002"
    assert mention["kind"] == "comment"
    assert mention["parent_post_id"] == "-1001234567890:310"
    assert mention["created_at"] == "2025-01-01T00:21:40.000Z"
    for field in ("language", "sentiment", "intent", "categories", "platform", "text"):
        assert field in mention
    assert "pk" not in mention
    assert "gsi1pk" not in mention


def test_the_same_update_delivered_twice_is_stored_once(client, pump, admin_token):
    for _ in range(2):
        assert post_telegram(client, helpers.private_message(810000001)).status_code == 200
    assert pump.drain() == 2

    assert len(list_mentions(client, admin_token)["items"]) == 1


def test_edit_updates_text_and_keeps_history_and_replays_are_no_ops(client, pump, admin_token):
    post_telegram(client, helpers.private_message(1, text="first version"))
    pump.drain()
    post_telegram(
        client, helpers.edited_private_message(2, text="second version", edit_date=1735690760)
    )
    post_telegram(
        client, helpers.edited_private_message(2, text="second version", edit_date=1735690760)
    )
    post_telegram(client, helpers.edited_private_message(3, text="stale", edit_date=1735690750))
    pump.drain()

    (mention,) = list_mentions(client, admin_token)["items"]
    assert mention["text"] == "second version"
    assert mention["original_text"] == "first version"
    assert [edit["text"] for edit in mention["edits"]] == ["second version"]


def test_an_edit_that_overtakes_its_original_is_stored(client, pump, admin_token):
    post_telegram(client, helpers.edited_private_message(2, text="edited first"))
    pump.drain()
    post_telegram(client, helpers.private_message(1, text="original"))
    pump.drain()

    (mention,) = list_mentions(client, admin_token)["items"]
    assert mention["text"] == "edited first"


def test_auto_forward_and_own_bot_messages_are_not_stored(client, pump, admin_token):
    own = helpers.private_message(5)
    own["message"]["from"] = {"id": 999000111, "is_bot": True, "first_name": "CareBot"}
    post_telegram(client, helpers.auto_forward())
    post_telegram(client, own)
    pump.drain()

    assert list_mentions(client, admin_token)["items"] == []


def test_reaction_counts_are_stored_as_engagement(client, pump):
    post_telegram(client, helpers.reaction_count())
    pump.drain()

    from chalicelib.store import keys
    from chalicelib.store.table import get

    item = get(keys.engagement("telegram", "-1001234567890:310"))
    assert item is not None
    assert item["metrics"]["reactions"] == 17


@pytest.mark.parametrize(
    ("headers", "status", "error"),
    [
        ({"Content-Type": "application/json"}, 401, "unauthorized"),
        (helpers.telegram_headers("wrong-secret"), 401, "unauthorized"),
    ],
)
def test_unsigned_or_wrongly_signed_updates_are_rejected_and_never_queued(
    client, resources, headers, status, error
):
    response = client.http.post(
        "/webhooks/telegram", headers=headers, body=helpers.compact(helpers.private_message(1))
    )

    assert response.status_code == status
    assert response.json_body["error"] == error
    assert queue_depth(resources, INGEST_QUEUE.name) == 0


def test_platform_without_a_secret_answers_503(client, resources, monkeypatch):
    monkeypatch.delenv("TELEGRAM_SECRET_TOKEN")
    response = post_telegram(client, helpers.private_message(1))

    assert response.status_code == 503
    assert "TELEGRAM_SECRET_TOKEN" in response.json_body["message"]
    assert queue_depth(resources, INGEST_QUEUE.name) == 0


@pytest.mark.parametrize(
    ("body", "status"),
    [
        (b"{not json", 400),
        (b"\xff\xfe{}", 400),
        (b'{"update_id": NaN}', 400),
        (b"[1,2]", 400),
        (b'{"no_update_id": 1}', 400),
    ],
)
def test_malformed_bodies_are_400_with_json_errors(client, resources, body, status):
    response = client.http.post("/webhooks/telegram", headers=helpers.telegram_headers(), body=body)

    assert response.status_code == status
    assert response.json_body["error"] in ("bad_request", "invalid_json")
    assert queue_depth(resources, INGEST_QUEUE.name) == 0


def test_body_over_one_mebibyte_is_413(client, resources):
    body = b'{"update_id":1,"pad":"' + b"a" * (1024 * 1024) + b'"}'
    response = client.http.post("/webhooks/telegram", headers=helpers.telegram_headers(), body=body)

    assert response.status_code == 413
    assert response.json_body["error"] == "payload_too_large"
    assert queue_depth(resources, INGEST_QUEUE.name) == 0


def test_unknown_platform_is_404(client):
    response = client.http.post("/webhooks/myspace", headers=helpers.telegram_headers(), body=b"{}")
    assert response.status_code == 404
    assert "myspace" in response.json_body["message"]


def test_queue_failure_is_a_503_so_the_platform_retries(client, monkeypatch):
    class BrokenSQS:
        def send_message(self, **_):
            raise RuntimeError("SQS is down")

    monkeypatch.setattr(aws, "sqs", lambda: BrokenSQS())
    response = post_telegram(client, helpers.private_message(1))

    assert response.status_code == 503
    assert response.json_body["error"] == "service_unavailable"
    assert "SQS is down" not in response.body.decode()


def test_generic_webhook_end_to_end_and_field_errors(client, pump, admin_token, resources):
    body = helpers.compact(helpers.generic_event(text="سفارشم کی میرسه؟"))
    ok = client.http.post("/webhooks/generic", headers=helpers.generic_headers(body), body=body)
    assert ok.status_code == 200

    bad_body = helpers.compact(helpers.generic_event(kind="shout"))
    bad = client.http.post(
        "/webhooks/generic", headers=helpers.generic_headers(bad_body), body=bad_body
    )
    assert bad.status_code == 422
    assert bad.json_body["details"][0]["field"] == "kind"

    pump.drain()
    (mention,) = list_mentions(client, admin_token)["items"]
    assert mention["platform"] == "mastodon"
    assert mention["text"] == "سفارشم کی میرسه؟"


def test_body_with_characters_sqs_refuses_is_still_delivered(client, pump, admin_token):
    post_telegram(client, helpers.private_message(1, text="odd \uffff char"))
    pump.drain()

    (mention,) = list_mentions(client, admin_token)["items"]
    assert mention["text"] == "odd \uffff char"


def test_poison_message_is_quarantined_once_and_not_dead_lettered(
    client, pump, admin_token, resources
):
    # Given a signed update the consumer cannot parse
    response = post_telegram(client, {"update_id": 77, "message": {"message_id": "x"}})
    assert response.status_code == 200

    # When the consumer sees it: a retry would parse it the same way
    pump.drain()

    # Then its quarantine record (with the reason) is its final state: nothing in the DLQ
    assert queue_depth(resources, INGEST_DLQ.name) == 0
    assert queue_depth(resources, INGEST_QUEUE.name) == 0
    listing = client.http.get("/quarantine", headers=bearer(admin_token)).json_body
    (record,) = listing["items"]
    assert record["platform"] == "telegram"
    assert "message_id" in record["reason"]
    assert record["last_attempt"] == 1
    assert json.loads(record["body"])["update_id"] == 77


def test_transient_failure_is_retried_then_quarantined_and_dead_lettered(
    client, pump, admin_token, resources, monkeypatch
):
    # Given a store that is throttled on every attempt
    from botocore.exceptions import ClientError

    from chalicelib.ingest import pipeline

    def throttled(_mention):
        raise ClientError(
            {"Error": {"Code": "ProvisionedThroughputExceededException", "Message": "slow down"}},
            "PutItem",
        )

    monkeypatch.setattr(pipeline.mention_store, "save", throttled)
    post_telegram(client, helpers.private_message(5, text="hello"))

    # When SQS redelivers it until its receive count runs out
    pump.drain()

    # Then the last resort: it is in the DLQ (whose alarm reports it) AND its reason is recorded
    assert queue_depth(resources, INGEST_DLQ.name) == 1
    listing = client.http.get("/quarantine", headers=bearer(admin_token)).json_body
    (record,) = listing["items"]
    assert "still failing after 3 attempts" in record["reason"]
    assert "ProvisionedThroughputExceededException" in record["reason"]
    assert record["last_attempt"] == INGEST_QUEUE.max_receive_count


def test_partial_batch_failure_reports_only_the_failing_record(resources, app_module, monkeypatch):
    # Given a batch of four records: one unparseable, one whose store is throttled
    from botocore.exceptions import ClientError

    from chalicelib.ingest import pipeline
    from chalicelib.store import quarantine

    def message(update):
        return {
            "MessageId": str(uuid.uuid4()),
            "ReceiptHandle": str(uuid.uuid4()),
            "Body": json.dumps(update),
            "MessageAttributes": {"platform": {"DataType": "String", "StringValue": "telegram"}},
        }

    good_a, bad, throttled, good_b = (
        message(helpers.private_message(1, message_id=1)),
        message({"update_id": 2, "message": {"message_id": "x"}}),
        message(helpers.private_message(4, message_id=4)),
        message(helpers.private_message(3, message_id=3)),
    )
    save = pipeline.mention_store.save

    def flaky(mention):
        if mention.platform_id.endswith(":4"):
            raise ClientError({"Error": {"Code": "ThrottlingException"}}, "PutItem")
        return save(mention)

    monkeypatch.setattr(pipeline.mention_store, "save", flaky)
    event = sqs_event([good_a, bad, throttled, good_b], resources.queue_arns[INGEST_QUEUE.name])

    # When the consumer handles it
    result = handle_batch(event)

    # Then only the throttled record is reported for a retry; the unparseable one is quarantined
    # (final) and both good ones are stored
    assert result == {"batchItemFailures": [{"itemIdentifier": throttled["MessageId"]}]}
    from chalicelib.store.mentions import list_mentions as query

    items, _ = query(limit=10, cursor=None)
    assert {item["platform_id"] for item in items} == {"123456789:1", "123456789:3"}
    records, _ = quarantine.list_quarantine(limit=10, cursor=None)
    assert [r["record_id"] for r in records] == [bad["MessageId"]]


def test_new_mentions_are_announced_on_the_bus_once(client, pump, resources):
    # Given a rule that copies carecycle events to a queue
    sqs, events = boto3.client("sqs"), boto3.client("events")
    url = sqs.create_queue(QueueName="spy")["QueueUrl"]
    arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"][
        "QueueArn"
    ]
    events.put_rule(
        Name="spy",
        EventBusName=resources.bus_name,
        EventPattern=json.dumps({"source": ["carecycle"]}),
    )
    events.put_targets(
        Rule="spy", EventBusName=resources.bus_name, Targets=[{"Id": "q", "Arn": arn}]
    )

    # When the same update arrives twice
    post_telegram(client, helpers.private_message(1))
    post_telegram(client, helpers.private_message(1))
    pump.drain()

    # Then exactly one Mention Received event was put (the question also opened a ticket)
    received = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10).get("Messages", [])
    bodies = [json.loads(m["Body"]) for m in received]
    mentions = [e for e in bodies if e["detail-type"] == "Mention Received"]
    assert len(mentions) == 1
    assert mentions[0]["detail"]["id"] == "telegram:123456789:42"
    assert [e["detail-type"] for e in bodies].count("Ticket Opened") == 1


def test_a_batch_of_new_mentions_costs_one_write_each_plus_one_report_write(resources):
    # Given ten new mentions nobody must answer, in one SQS batch (group chat, not addressed to
    # us: every DM would open its ticket, issue 14)
    def message(n):
        update = helpers.private_message(n, message_id=n, text="ممنون، سفارشم سالم رسید")
        update["message"]["chat"] = {"id": -100555, "type": "supergroup", "title": "Chat"}
        return {
            "MessageId": str(uuid.uuid4()),
            "ReceiptHandle": str(uuid.uuid4()),
            "Body": json.dumps(update),
            "MessageAttributes": {"platform": {"DataType": "String", "StringValue": "telegram"}},
        }

    event = sqs_event([message(n) for n in range(10)], resources.queue_arns[INGEST_QUEUE.name])
    writes = []
    aws.dynamodb().meta.events.register(
        "before-parameter-build.dynamodb.*",
        lambda model, params, **_: (
            writes.append((model.name, params.get("Key", {}).get("pk")))
            if model.name in ("PutItem", "UpdateItem", "TransactWriteItems")
            else None
        ),
    )

    # When the consumer handles the batch
    assert handle_batch(event) == {"batchItemFailures": []}

    # Then each mention is one PutItem and the day's report counters one UpdateItem for all ten
    assert [name for name, _ in writes].count("PutItem") == 10
    report_writes = [pk for name, pk in writes if name == "UpdateItem"]
    assert len(report_writes) == 1
    assert report_writes[0]["S"].startswith("REPORT#")
