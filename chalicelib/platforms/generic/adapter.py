"""The generic signed webhook: any source that can send our documented JSON and sign it.

Header `X-Care-Signature: sha256=<hex HMAC-SHA256 of the raw body>` with `GENERIC_WEBHOOK_SECRET`.
Body: `{platform, id, kind, author:{id, handle?, name?}, text, created_at, url?, in_reply_to?,
metrics?, automated?}`. The body is validated at the edge as well as in the consumer, so a sender
gets a 422 naming the field at once instead of a silent trip to the dead-letter queue.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from chalicelib.errors import (
    BadRequest,
    NotFound,
    PermanentParseError,
    Unprocessable,
    validation_details,
)
from chalicelib.models import (
    Author,
    EngagementSnapshot,
    Mention,
    ParseResult,
)
from chalicelib.platforms import catalogue
from chalicelib.platforms.base import HandshakeResponse
from chalicelib.platforms.generic.ids import EventRef
from chalicelib.platforms.signatures import (
    verify_prefixed_hex,
)
from chalicelib.vocabulary import PLATFORM_PATTERN, MentionKind

ROW = catalogue.BY_NAME["generic"]
SECRET_ENV = ROW.signing_env
SIGNATURE_HEADER = ROW.signature_header


class GenericEvent(BaseModel):
    model_config = ConfigDict(extra="forbid")

    platform: str = Field(pattern=PLATFORM_PATTERN)
    id: str = Field(min_length=1, max_length=256)
    kind: MentionKind
    author: Author
    text: str = Field(max_length=100_000)
    created_at: datetime
    url: str | None = Field(default=None, max_length=2048)
    in_reply_to: str | None = Field(default=None, max_length=256)
    metrics: dict[str, int] | None = None
    # The sender knows it was written by a program (an auto-reply, a bot): kept out of the inbox.
    automated: bool = False


class GenericAdapter:
    name = "generic"

    def verify(self, headers: Mapping[str, str], body: bytes) -> None:
        verify_prefixed_hex(
            headers, body, platform=self.name, env_name=SECRET_ENV, name=SIGNATURE_HEADER
        )

    def event_id(self, payload: Any) -> str:
        if not isinstance(payload, dict):
            raise BadRequest("the generic webhook body must be a JSON object")
        try:
            event = GenericEvent.model_validate(payload)
        except ValidationError as exc:
            raise Unprocessable(
                "the event does not match the generic webhook schema",
                details=validation_details(exc),
            ) from exc
        return EventRef(event.platform, event.id).event_key()

    def handshake(self, query: Mapping[str, str]) -> HandshakeResponse:  # noqa: ARG002
        raise NotFound("the generic webhook has no handshake")

    def parse(self, payload: Any) -> ParseResult:
        try:
            event = GenericEvent.model_validate(payload)
        except ValidationError as exc:
            raise PermanentParseError(f"invalid generic event: {validation_details(exc)}") from exc
        ref = EventRef(event.platform, event.id).encode()
        result = ParseResult(
            mentions=[
                Mention(
                    platform=event.platform,
                    platform_id=event.id,
                    kind=event.kind,
                    author=event.author,
                    text=event.text,
                    created_at=event.created_at,
                    url=event.url,
                    in_reply_to=event.in_reply_to,
                    conversation_id=event.in_reply_to,
                    raw_ref=ref,
                    automated=event.automated,
                )
            ]
        )
        if event.metrics:
            result.engagement.append(
                EngagementSnapshot(
                    platform=event.platform,
                    target_id=event.id,
                    observed_at=event.created_at,
                    metrics=event.metrics,
                    raw_ref=ref,
                )
            )
        return result
