"""Issue 16, item 4: every accepted delivery ends stored or quarantined with its reason, each
entry on its own; nothing reaches the dead-letter queue for a reason a retry cannot cure.

Each case hands the consumer exactly what SQS would (the edge already verified the signature)
and checks the end state in the table, not just the absence of an exception.
"""

from __future__ import annotations

import json
import uuid

import pytest

from chalicelib.definitions import INGEST_QUEUE
from chalicelib.ingest.consumer import handle_batch
from chalicelib.models import MAX_TEXT_CHARS
from chalicelib.store import mentions as mention_store
from chalicelib.store import quarantine
from local.lambda_events import sqs_event
from tests import helpers, social


def _message(platform: str, body: str, message_id: str | None = None) -> dict:
    return {
        "MessageId": message_id or str(uuid.uuid4()),
        "ReceiptHandle": str(uuid.uuid4()),
        "Body": body,
        "MessageAttributes": {"platform": {"DataType": "String", "StringValue": platform}},
    }


def _run(resources, *messages: dict) -> dict:
    return handle_batch(sqs_event(list(messages), resources.queue_arns[INGEST_QUEUE.name]))


def _quarantined() -> list[dict]:
    items, _ = quarantine.list_quarantine(limit=100, cursor=None)
    return items


def _stored() -> list[dict]:
    items, _ = mention_store.list_mentions(limit=100, cursor=None)
    return items


@pytest.fixture
def consumer(resources, app_module, platform_secrets):
    return resources


@pytest.mark.parametrize(
    "update",
    [
        # Telegram `date` far beyond any datetime
        {
            **helpers.private_message(1),
            "message": {**helpers.private_message(1)["message"], "date": 10**20},
        },
        # A reaction count whose `date` overflows too
        {
            "update_id": 9,
            "message_reaction_count": {
                **helpers.reaction_count()["message_reaction_count"],
                "date": 10**20,
            },
        },
    ],
    ids=["message-date-1e20", "reaction-date-1e20"],
)
def test_overflowing_telegram_timestamps_are_quarantined_with_a_reason(consumer, update):
    result = _run(consumer, _message("telegram", json.dumps(update)))

    assert result == {"batchItemFailures": []}
    (record,) = _quarantined()
    assert "is not a time" in record["reason"]
    assert _stored() == []


def test_infinite_meta_time_costs_only_its_own_entry(consumer):
    # Given a Page delivery of three entries, the middle one with `time` 1e400 (JSON: infinity)
    batch = social.meta_batch(3)
    batch["entry"][1]["time"] = "@TIME@"
    del batch["entry"][1]["changes"][0]["value"]["created_time"]
    raw = json.dumps(batch).replace('"@TIME@"', "1e400")

    result = _run(consumer, _message("meta", raw))

    # Then its two siblings are stored and it is quarantined with its reason
    assert result == {"batchItemFailures": []}
    assert len(_stored()) == 2
    (record,) = _quarantined()
    assert "is not a time" in record["reason"]


@pytest.mark.parametrize("created_at", ["0001-01-01T00:00:00+05:00", "9999-12-31T23:59:59-05:00"])
def test_years_without_a_utc_instant_are_quarantined(consumer, created_at):
    event = helpers.generic_event(created_at=created_at)

    result = _run(consumer, _message("generic", json.dumps(event)))

    assert result == {"batchItemFailures": []}
    assert _stored() == []
    (record,) = _quarantined()
    assert "range" in record["reason"]


def test_a_text_too_big_for_an_item_is_stored_capped_and_flagged(consumer):
    # Given a DM of 300,000 four-byte characters (1.2 MB of UTF-8; a DynamoDB item is 400 KB)
    update = helpers.private_message(1, text="😡" * 300_000)

    result = _run(consumer, _message("telegram", json.dumps(update)))

    assert result == {"batchItemFailures": []}
    (mention,) = _stored()
    assert len(mention["text"]) == MAX_TEXT_CHARS
    assert mention["text_truncated"] is True
    assert _quarantined() == []


@pytest.mark.parametrize("kind", ["🔥", ["weird"], 7, None])
def test_reaction_types_that_are_not_objects_are_quarantined_with_a_reason(consumer, kind):
    update = helpers.reaction_count()
    update["message_reaction_count"]["reactions"] = [
        {"type": {"type": "emoji", "emoji": "👍"}, "total_count": 2},
        {"type": kind, "total_count": 3},
    ]

    result = _run(consumer, _message("telegram", json.dumps(update)))

    assert result == {"batchItemFailures": []}
    (record,) = _quarantined()
    assert "type" in record["reason"]


def test_well_formed_reactions_are_counted(consumer):
    result = _run(consumer, _message("telegram", json.dumps(helpers.reaction_count())))

    assert result == {"batchItemFailures": []}
    assert _quarantined() == []
    from chalicelib.store import keys
    from chalicelib.store.table import get

    latest = get(keys.engagement("telegram", "-1001234567890:310"))
    assert latest["metrics"]["reactions"] == 17
    assert latest["metrics"]["reaction:🔥"] == 12


def test_quarantine_keys_from_unbounded_ids_are_hashed(consumer):
    # Given an unparseable record whose SQS id (the key's source) is 5,000 characters long
    long_id = "m" * 5000
    message = _message(
        "telegram", json.dumps({"update_id": 7, "message": {"message_id": "x"}}), message_id=long_id
    )

    result = _run(consumer, message)

    assert result == {"batchItemFailures": []}
    (record,) = _quarantined()
    assert record["record_key"].startswith("sha256:")
    assert len(record["record_id"]) <= quarantine.MAX_SHOWN_ID_CHARS


def test_a_quarantine_record_is_bounded_by_bytes_with_its_hash(consumer):
    # Given an unparseable body of 900 KB of three-byte characters
    body = json.dumps({"update_id": "not a number", "junk": "ی" * 300_000}, ensure_ascii=False)

    result = _run(consumer, _message("telegram", body))

    assert result == {"batchItemFailures": []}
    (record,) = _quarantined()
    assert len(record["body"].encode()) <= quarantine.MAX_STORED_BODY_BYTES
    assert record["body_truncated"] is True
    assert record["body_bytes"] == len(body.encode())
    import hashlib

    assert record["body_sha256"] == hashlib.sha256(body.encode()).hexdigest()


def test_one_entry_the_store_refuses_does_not_take_its_siblings_down(consumer, monkeypatch):
    # Given a delivery of three comments whose middle one DynamoDB refuses (a permanent error)
    from botocore.exceptions import ClientError

    from chalicelib.ingest import pipeline

    save = pipeline.mention_store.save

    def refusing(mention):
        if mention.text == "Comment 1":
            raise ClientError(
                {"Error": {"Code": "ValidationException", "Message": "Item size too large"}},
                "PutItem",
            )
        return save(mention)

    monkeypatch.setattr(pipeline.mention_store, "save", refusing)

    result = _run(consumer, _message("meta", json.dumps(social.meta_batch(3))))

    # Then the record is settled, two are stored, one is quarantined saying why
    assert result == {"batchItemFailures": []}
    assert sorted(m["text"] for m in _stored()) == ["Comment 0", "Comment 2"]
    (record,) = _quarantined()
    assert "Item size too large" in record["reason"]
    assert json.loads(record["body"])["text"] == "Comment 1"
