"""The ingest queue consumer: Powertools BatchProcessor with partial batch failures.

Every accepted delivery ends as stored records or quarantine records with their reasons
(`GET /quarantine`), each on its own, at two levels:

- per SQS record (Powertools partial batch failures): a record that fails is reported back
  alone, so its nine siblings are not redelivered;
- per entry inside a record: one platform delivery (a Meta or X batch) can carry many
  mentions, reactions and removals; each is stored on its own, and one that fails permanently
  (its item is refused by DynamoDB, a bug in analysis) is quarantined with its reason while
  its siblings are stored.

A payload that can never be parsed is quarantined and acknowledged: retrying cannot help, and
the quarantine record is its final state. Only a transient failure (throttling, a 5xx, a
timeout reaching AWS) fails the record so SQS retries it (stored siblings are idempotent
duplicates the second time); on its last receive it is also quarantined with the reason it kept
failing, and SQS moves it to the dead-letter queue, whose alarm reports it: the last resort.
"""

from __future__ import annotations

import base64
from collections.abc import Mapping
from functools import partial
from typing import Any

from aws_lambda_powertools.utilities.batch import (
    BatchProcessor,
    EventType,
    process_partial_response,
)
from aws_lambda_powertools.utilities.data_classes.sqs_event import SQSRecord

from chalicelib import definitions, jsonbody
from chalicelib.errors import InvalidJson, NotFound, PermanentParseError, ServiceUnavailable
from chalicelib.events import Outbox
from chalicelib.ingest.pipeline import (
    handle_engagement,
    handle_mention,
    handle_removal,
    handle_score,
)
from chalicelib.observability import count, logger
from chalicelib.platforms import registry
from chalicelib.store import quarantine

# DynamoDB / AWS error codes that a retry can cure; every other error of one entry is its own.
TRANSIENT_CODES = frozenset(
    {
        "ProvisionedThroughputExceededException",
        "ThrottlingException",
        "Throttling",
        "RequestLimitExceeded",
        "InternalServerError",
        "InternalServerErrorException",
        "ServiceUnavailable",
        "TransactionInProgressException",
        "TransactionConflictException",
    }
)

# A batch where every record failed is reported like any other: raising would count as a
# Lambda error and hide which records failed.
_processor = BatchProcessor(event_type=EventType.SQS, raise_on_entire_batch_failure=False)


def handle_batch(event: dict[str, Any], context: Any = None) -> Mapping[str, Any]:
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


def is_transient(exc: BaseException) -> bool:
    """Would the same work succeed if tried again later?"""
    if isinstance(exc, (ServiceUnavailable, ConnectionError, TimeoutError)):
        return True
    from botocore.exceptions import BotoCoreError, ClientError

    if isinstance(exc, ClientError):
        response = exc.response or {}
        code = response.get("Error", {}).get("Code", "")
        status = int(response.get("ResponseMetadata", {}).get("HTTPStatusCode") or 0)
        return code in TRANSIENT_CODES or status >= 500
    return isinstance(exc, BotoCoreError)


def describe(exc: BaseException) -> str:
    message = getattr(exc, "message", None) or str(exc)
    return f"{type(exc).__name__}: {message}" if message else type(exc).__name__


def process_record(record: SQSRecord, outbox: Outbox) -> None:
    platform = _attribute(record, "platform") or "unknown"
    event_id = _attribute(record, "event_id") or record.message_id
    attempt = int(record.attributes.approximate_receive_count or 1)
    last_attempt = attempt >= definitions.INGEST_QUEUE.max_receive_count
    logger.append_keys(correlation_id=event_id, platform=platform)
    body = record.body
    try:
        if _attribute(record, "encoding") == "base64":
            body = base64.b64decode(body).decode("utf-8")
        adapter = registry.get(platform)
        result = adapter.parse(jsonbody.parse(body))
    except (PermanentParseError, NotFound, InvalidJson, ValueError, RecursionError) as exc:
        reason = getattr(exc, "message", None) or str(exc) or type(exc).__name__
        _quarantine(record.message_id, platform, reason, body, attempt)
        count("IngestQuarantined")
        logger.warning("unparseable event quarantined", reason=reason)
        return  # final: a retry would parse it the same way
    except Exception as exc:
        reason = f"parser failed: {describe(exc)}"
        _quarantine(record.message_id, platform, reason, body, attempt)
        count("IngestQuarantined")
        logger.exception("parser failed; event quarantined", reason=reason)
        return

    for bad in result.bad:
        _quarantine(f"{record.message_id}:{bad.ref}", platform, bad.reason, bad.raw, 1)
        count("IngestItemsQuarantined")
    for skipped in result.skipped:
        count("IngestSkipped")
        logger.debug("skipped", ref=skipped.ref, reason=skipped.reason)

    entries: list[tuple[str, Any, Any]] = [
        *(
            (m.raw_ref + "#" + m.platform_id, m, partial(handle_mention, m, outbox))
            for m in result.mentions
        ),
        *(
            (s.raw_ref + "#" + s.target_id, s, partial(handle_engagement, s))
            for s in result.engagement
        ),
        *(
            (r.raw_ref + "#" + r.platform_id, r, partial(handle_removal, r))
            for r in result.removals
        ),
        *((a.raw_ref + "#" + a.callback_id, a, partial(handle_score, a)) for a in result.scores),
    ]
    retry: BaseException | None = None
    for ref, entry, work in entries:
        try:
            work()
        except Exception as exc:
            transient = is_transient(exc)
            if transient and not last_attempt:
                retry = retry or exc
                logger.warning(
                    "entry failed; the record will be retried", ref=ref, error=describe(exc)
                )
                continue
            reason = (
                f"still failing after {attempt} attempts: {describe(exc)}"
                if transient
                else f"could not store: {describe(exc)}"
            )
            _quarantine(
                f"{record.message_id}:{ref}", platform, reason, entry.model_dump_json(), attempt
            )
            count("IngestItemsQuarantined")
            logger.exception("entry quarantined", ref=ref, reason=reason)
            if transient:
                retry = retry or exc  # the last resort: the message goes on to the DLQ
    if retry is not None:
        raise retry


def _quarantine(record_id: str, platform: str, reason: str, body: str, attempt: int) -> None:
    """Record why; if even that fails the exception fails the record (SQS retries, then DLQ)."""
    quarantine.record(
        record_id=record_id, platform=platform, reason=reason, body=body, attempt=attempt
    )
