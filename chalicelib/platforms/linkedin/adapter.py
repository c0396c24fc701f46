"""LinkedIn Organization Social Action Notifications: endpoint `linkedin`.

Handshake: `?challengeCode=<uuid>` → JSON `{"challengeCode", "challengeResponse": hex HMAC-SHA256
(client secret, challengeCode)}`. Notifications: `X-LI-Signature`, checked by `expected_signature`
(see there for the reading of LinkedIn's ambiguous documentation we implement).

A delivery is `{"type", "notifications": [...]}`. LinkedIn may deliver a notification more than
once, so a record's platform id is its `notificationId`: the conditional put then dedupes. The
comment's own URN, which a reply needs, is the mention's `thread_id`. Records:
- `COMMENT` → `comment` on our post; `SHARE_MENTION` → `mention` (a post that mentions us);
- `LIKE` → a `likes` engagement event, `SHARE` → a `shares` engagement event on the source post;
- `ADMIN_COMMENT` (our own admins) is skipped, as are `COMMENT_EDIT` / `COMMENT_DELETE` (a new
  notification id cannot be tied to the stored comment) and unknown actions.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from functools import partial
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from chalicelib.errors import BadRequest, PermanentParseError, Unauthorized
from chalicelib.models import Author, EngagementSnapshot, Mention, ParseResult, Skipped
from chalicelib.platforms import catalogue, handshakes
from chalicelib.platforms.base import HandshakeResponse, delivery_ref
from chalicelib.platforms.batching import from_epoch_any, parse_item, require_dict
from chalicelib.platforms.linkedin import ids
from chalicelib.platforms.signatures import (
    constant_time_equal,
    hmac_sha256_hex,
    require_secret,
    signed,
)

ROW = catalogue.BY_NAME["linkedin"]
SECRET_ENV = ROW.signing_env
SIGNATURE_HEADER = ROW.signature_header
PREFIX = "hmacsha256="


def expected_signature(secret: str, body: bytes) -> str:
    """Reading A of LinkedIn's webhook-validation page (marked most likely in platforms.md §4.3):
    hex HMAC-SHA256 with the client secret over `"hmacsha256=" + raw body`. The header carries the
    bare hex; an optional `hmacsha256=` prefix on the header is tolerated. Swap this one function
    if a captured real delivery proves reading B (`hmacsha256=` + hex HMAC of the body alone)."""
    return hmac_sha256_hex(secret, PREFIX.encode("ascii") + body)


class _Model(BaseModel):
    model_config = ConfigDict(extra="ignore", coerce_numbers_to_str=True)


class Decorated(_Model):
    owner: str | None = None
    entity: str | None = None
    object: str | None = None
    text: str | None = None


class Notification(_Model):
    notificationId: str = Field(min_length=1)
    action: str
    organizationalEntity: str | None = None
    sourcePost: str | None = None
    generatedActivity: str | None = None
    decoratedGeneratedActivity: dict[str, Any] | None = None
    subscriber: str | None = None
    lastModifiedAt: float


class LinkedInAdapter:
    name = "linkedin"

    def verify(self, headers: Mapping[str, str], body: bytes) -> None:
        secret, given = signed(
            headers, platform=self.name, env_name=SECRET_ENV, name=SIGNATURE_HEADER
        )
        given = given.strip()
        if given.lower().startswith(PREFIX):
            given = given[len(PREFIX) :]
        if not constant_time_equal(given.lower(), expected_signature(secret, body)):
            raise Unauthorized(f"{SIGNATURE_HEADER} does not match the body")

    def event_id(self, payload: Any) -> str:
        if not isinstance(payload, dict):
            raise BadRequest("a LinkedIn webhook body must be a JSON object")
        notifications = payload.get("notifications")
        if not isinstance(notifications, list) or not notifications:
            raise BadRequest("notifications: required non-empty array")
        first = notifications[0] if isinstance(notifications[0], dict) else {}
        return f"linkedin:{first.get('notificationId', '?')}:{len(notifications)}"

    def handshake(self, query: Mapping[str, str]) -> HandshakeResponse:
        code = handshakes.signable(
            "challengeCode",
            query.get("challengeCode"),
            shape=handshakes.UUID,
            what="a UUID",
            post_prefix=PREFIX,
        )
        secret = require_secret(SECRET_ENV, self.name)
        answer = {
            "challengeCode": code,
            "challengeResponse": hmac_sha256_hex(secret, code.encode()),
        }
        return HandshakeResponse(body=json.dumps(answer), content_type="application/json")

    def parse(self, payload: Any) -> ParseResult:
        ref = delivery_ref(self, payload)
        result = ParseResult()
        for index, raw in enumerate(payload["notifications"]):
            item_ref = f"{ref}:notifications[{index}]"
            parse_item(result, item_ref, raw, partial(_notification, raw, item_ref, result))
        return result


def _notification(raw: Any, ref: str, result: ParseResult) -> None:
    note = Notification.model_validate(require_dict(raw, "notification"))
    action = note.action.upper()
    decorated = note.decoratedGeneratedActivity or {}
    when = from_epoch_any(note.lastModifiedAt)
    if action in ("COMMENT", "SHARE_MENTION"):
        detail = Decorated.model_validate(
            decorated.get("comment" if action == "COMMENT" else "share") or {}
        )
        author = detail.owner or note.subscriber
        if not author:
            raise PermanentParseError("decoratedGeneratedActivity: the author is missing")
        post = note.sourcePost or detail.object
        activity = note.generatedActivity or detail.entity
        result.mentions.append(
            Mention(
                platform="linkedin",
                platform_id=note.notificationId,
                kind="comment" if action == "COMMENT" else "mention",
                author=Author(id=author),
                text=detail.text or "",
                created_at=when,
                url=ids.post_url(post, activity if action == "COMMENT" else None) if post else None,
                account_id=note.organizationalEntity,
                conversation_id=post if action == "COMMENT" else activity,
                thread_id=activity,
                parent_post_id=post if action == "COMMENT" else None,
                raw_ref=ref,
            )
        )
        return
    if action in ("LIKE", "SHARE"):
        if not note.sourcePost:
            raise PermanentParseError(f"sourcePost: required for {action}")
        result.engagement.append(
            EngagementSnapshot(
                platform="linkedin",
                target_id=note.sourcePost,
                observed_at=when,
                metrics={"likes" if action == "LIKE" else "shares": 1},
                raw_ref=ref,
                delta_id=note.notificationId,
            )
        )
        return
    result.skipped.append(Skipped(ref=ref, reason=f"action {action}"))
