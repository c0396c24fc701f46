"""The ingest queue consumer: Powertools BatchProcessor with partial batch failures.

A record that fails is reported back to SQS alone, so its nine siblings are not redelivered.
A payload that can never be parsed is quarantined (reason visible via `GET /quarantine`) on
every attempt and left to fail, so SQS moves it to the DLQ after `max_receive_count` tries;
one bad item inside an otherwise good batch is quarantined while its siblings are stored.
"""

from __future__ import annotations

import base64
from functools import partial
from typing import Any

from aws_lambda_powertools.utilities.batch import (
    BatchProcessor,
    EventType,
    process_partial_response,
)
from aws_lambda_powertools.utilities.data_classes.sqs_event import SQSRecord

from chalicelib import jsonbody
from chalicelib.errors import InvalidJson, NotFound, PermanentParseError
from chalicelib.events import Outbox
from chalicelib.ingest.pipeline import handle_engagement, handle_mention, handle_removal
from chalicelib.observability import count, logger
from chalicelib.platforms import registry
from chalicelib.store import quarantine

# A batch where every record failed is reported like any other: raising would count as a
# Lambda error and hide which records failed.
_processor = BatchProcessor(event_type=EventType.SQS, raise_on_entire_batch_failure=False)


def handle_batch(event: dict[str, Any], context: Any = None) -> dict[str, Any]:
    from chalicelib.measure import counters as report_counters

    outbox = Outbox()
    with report_counters.batched():  # one report-counter write per batch, not per mention
        response = process_partial_response(
            event=event,
            record_handler=partial(process_record, outbox=outbox),
            processor=_processor,
            context=context,
        )
    outbox.flush()
    return response


def _attribute(record: SQSRecord, name: str) -> str | None:
    attribute = (record.raw_event.get("messageAttributes") or {}).get(name) or {}
    return attribute.get("stringValue")


def process_record(record: SQSRecord, outbox: Outbox) -> None:
    platform = _attribute(record, "platform") or "unknown"
    event_id = _attribute(record, "event_id") or record.message_id
    logger.append_keys(correlation_id=event_id, platform=platform)
    body = record.body
    try:
        if _attribute(record, "encoding") == "base64":
            body = base64.b64decode(body).decode("utf-8")
        adapter = registry.get(platform)
        result = adapter.parse(jsonbody.parse(body))
    except (PermanentParseError, NotFound, InvalidJson, ValueError) as exc:
        reason = getattr(exc, "message", None) or str(exc)
        quarantine.record(
            record_id=record.message_id,
            platform=platform,
            reason=reason,
            body=body,
            attempt=int(record.attributes.approximate_receive_count or 1),
        )
        count("IngestQuarantined")
        logger.warning("unparseable event quarantined", reason=reason)
        raise

    for bad in result.bad:
        quarantine.record(
            record_id=f"{record.message_id}:{bad.ref}",
            platform=platform,
            reason=bad.reason,
            body=bad.raw,
            attempt=1,
        )
        count("IngestItemsQuarantined")
    for skipped in result.skipped:
        count("IngestSkipped")
        logger.debug("skipped", ref=skipped.ref, reason=skipped.reason)
    for mention in result.mentions:
        handle_mention(mention, outbox)
    for snapshot in result.engagement:
        handle_engagement(snapshot)
    for removal in result.removals:
        handle_removal(removal)
