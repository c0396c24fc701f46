"""The webhook edge: verify over the raw bytes, enqueue, answer fast.

Nothing here parses a payload beyond what is needed to refuse garbage and name the delivery:
the consumer does the real work. Order matters: size first (cheap), then the signature (no
unauthenticated input reaches the JSON parser), then the shape. A failure to enqueue is a 503 so
the platform retries; every refusal is counted by reason.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from chalicelib import aws
from chalicelib.errors import CareError, PayloadTooLarge, ServiceUnavailable
from chalicelib.observability import count_by, logger
from chalicelib.platforms import registry
from chalicelib.platforms.base import HandshakeResponse, load_json
from chalicelib.settings import get_settings

# Characters SQS refuses in a message body; JSON may carry them (U+FFFE, U+FFFF) in strings.
_SQS_FORBIDDEN = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


# SQS message attribute values: the body's character set, non-empty; we keep ids short.
MAX_ATTRIBUTE_CHARS = 256


def attribute_value(value: str) -> str:
    """A message attribute value AWS accepts. SQS refuses a value that is empty or carries a
    character outside its set (moto stores it and then fails every receive around it, so the
    local runtime hid the refusal); an event id like that, or a very long one, is sent as its
    sha256 instead (it only names the delivery in logs and quarantine records)."""
    if value and len(value) <= MAX_ATTRIBUTE_CHARS and not _SQS_FORBIDDEN.search(value):
        return value
    import hashlib

    return "sha256:" + hashlib.sha256(value.encode("utf-8", "surrogatepass")).hexdigest()


@dataclass(frozen=True)
class Accepted:
    platform: str
    event_id: str
    message_id: str


def accept(platform: str, headers: Mapping[str, str], body: bytes) -> Accepted:
    try:
        adapter = registry.get(platform)
        limit = get_settings().max_webhook_bytes
        if len(body) > limit:
            raise PayloadTooLarge(f"body is {len(body)} bytes; the limit is {limit}")
        adapter.verify(headers, body)
        event_id = adapter.event_id(load_json(body))
    except CareError as exc:
        count_by("WebhookRejected", "Reason", exc.code)
        logger.info("webhook rejected", platform=platform, reason=exc.code, status=exc.status)
        raise
    message_id = enqueue(platform, event_id, body)
    count_by("WebhookAccepted", "Platform", platform)
    logger.info("webhook accepted", platform=platform, event_id=event_id, bytes=len(body))
    return Accepted(platform=platform, event_id=event_id, message_id=message_id)


def handshake(platform: str, query: Mapping[str, str]) -> HandshakeResponse:
    return registry.get(platform).handshake(query)


def enqueue(platform: str, event_id: str, body: bytes) -> str:
    text = body.decode("utf-8")  # load_json already proved it is UTF-8
    encoding = "utf-8"
    if _SQS_FORBIDDEN.search(text):
        import base64

        text, encoding = base64.b64encode(body).decode("ascii"), "base64"
    try:
        response = aws.sqs().send_message(
            QueueUrl=get_settings().ingest_queue_url,
            MessageBody=text,
            MessageAttributes={
                "platform": {"DataType": "String", "StringValue": platform},
                "event_id": {"DataType": "String", "StringValue": attribute_value(event_id)},
                "encoding": {"DataType": "String", "StringValue": encoding},
            },
        )
    except Exception as exc:
        count_by("WebhookRejected", "Reason", "enqueue_failed")
        logger.exception("could not enqueue webhook", platform=platform, event_id=event_id)
        raise ServiceUnavailable("could not queue the event; please retry") from exc
    return str(response["MessageId"])
