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
                "event_id": {"DataType": "String", "StringValue": event_id[:256]},
                "encoding": {"DataType": "String", "StringValue": encoding},
            },
        )
    except Exception as exc:
        count_by("WebhookRejected", "Reason", "enqueue_failed")
        logger.exception("could not enqueue webhook", platform=platform, event_id=event_id)
        raise ServiceUnavailable("could not queue the event; please retry") from exc
    return str(response["MessageId"])
