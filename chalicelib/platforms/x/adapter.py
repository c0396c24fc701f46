"""X Account Activity API webhooks: endpoint `x`.

Authentication: `x-twitter-webhooks-signature: sha256=<base64 HMAC-SHA256(consumer secret, raw
body)>`, checked over the bytes received (X's encoding of non-ASCII is undocumented, so nothing is
re-serialised). Handshake (CRC): `?crc_token=…` → `{"response_token": "sha256=<base64 HMAC of the
token>"}` as JSON.

A delivery carries `for_user_id` (our account) and arrays per event type. Records:
- `tweet_create_events` → `reply` (answers a post), `mention` (mentions or quotes us, or anything
  else addressed to us); retweets of our posts → a `retweets` engagement event on the original;
- `direct_message_events` (`message_create`) → `dm`, in the X DM conversation `<low id>-<high id>`;
- `favorite_events` → a `likes` engagement event (+1) on the liked post, stored once per event.
Our own outgoing posts, DMs and likes (sender == `for_user_id`) are skipped; other event types
(follows, typing indicators, read receipts, deletes) are skipped by name.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
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
from chalicelib.platforms.signatures import (
    constant_time_equal,
    require_secret,
    signed,
)
from chalicelib.platforms.x.ids import DmConversation, post_url

ROW = catalogue.BY_NAME["x"]
SECRET_ENV = ROW.signing_env
SIGNATURE_HEADER = ROW.signature_header
MAX_CRC_TOKEN_CHARS = 255  # handshakes.TOKEN


def signature(secret: str, message: bytes) -> str:
    """`sha256=` + standard base64 (with padding) of the HMAC-SHA256: CRC and POST alike."""
    digest = hmac.new(secret.encode("utf-8"), message, hashlib.sha256).digest()
    return "sha256=" + base64.b64encode(digest).decode("ascii")


class _Model(BaseModel):
    model_config = ConfigDict(extra="ignore", coerce_numbers_to_str=True)


class User(_Model):
    id_str: str = Field(min_length=1)
    screen_name: str | None = None
    name: str | None = None


class Tweet(_Model):
    id_str: str = Field(min_length=1)
    text: str | None = None
    full_text: str | None = None
    truncated: bool = False
    extended_tweet: dict[str, Any] | None = None
    user: User
    timestamp_ms: float
    in_reply_to_status_id_str: str | None = None
    quoted_status_id_str: str | None = None
    is_quote_status: bool = False
    retweeted_status: dict[str, Any] | None = None
    entities: dict[str, Any] | None = None
    extended_entities: dict[str, Any] | None = None
    lang: str | None = None


class DmData(_Model):
    text: str = ""
    attachment: dict[str, Any] | None = None


class DmCreate(_Model):
    sender_id: str = Field(min_length=1)
    target: dict[str, str]
    message_data: DmData


class DmEvent(_Model):
    type: str
    id: str = Field(min_length=1)
    created_timestamp: float
    message_create: DmCreate | None = None


class Favorite(_Model):
    id: str = Field(min_length=1)
    timestamp_ms: float
    favorited_status: dict[str, Any]
    user: User


class XAdapter:
    name = "x"

    def verify(self, headers: Mapping[str, str], body: bytes) -> None:
        secret, given = signed(
            headers, platform=self.name, env_name=SECRET_ENV, name=SIGNATURE_HEADER
        )
        if not given.startswith("sha256="):
            raise Unauthorized(f"{SIGNATURE_HEADER} must be 'sha256=<base64 digest>'")
        if not constant_time_equal(given.strip(), signature(secret, body)):
            raise Unauthorized(f"{SIGNATURE_HEADER} does not match the body")

    def event_id(self, payload: Any) -> str:
        if not isinstance(payload, dict):
            raise BadRequest("an X webhook body must be a JSON object")
        user = payload.get("for_user_id")
        if not isinstance(user, str | int) or isinstance(user, bool) or not str(user):
            raise BadRequest("for_user_id: required string")
        kinds = sorted(k for k in payload if k.endswith("_events") or k == "user_event")
        if not kinds:
            return f"x:{user}:empty"
        first = payload[kinds[0]]
        item = first[0] if isinstance(first, list) and first else {}
        item_id = item.get("id_str") or item.get("id") if isinstance(item, dict) else None
        return f"x:{user}:{kinds[0]}:{item_id or '?'}"

    def handshake(self, query: Mapping[str, str]) -> HandshakeResponse:
        token = handshakes.signable(
            "crc_token",
            query.get("crc_token"),
            shape=handshakes.TOKEN,
            what=f"a token of 1-{MAX_CRC_TOKEN_CHARS} letters, digits or _.~+/=-",
            post_prefix="sha256=",
        )
        secret = require_secret(SECRET_ENV, self.name)
        body = json.dumps({"response_token": signature(secret, token.encode("utf-8"))})
        return HandshakeResponse(body=body, content_type="application/json")

    def parse(self, payload: Any) -> ParseResult:
        ref = delivery_ref(self, payload)
        result = ParseResult()
        ours = str(payload["for_user_id"])
        handlers = {
            "tweet_create_events": _tweet,
            "direct_message_events": _dm,
            "favorite_events": _favorite,
        }
        users = payload.get("users") if isinstance(payload.get("users"), dict) else {}
        for kind in sorted(payload):
            if kind == "for_user_id" or not (kind.endswith("_events") or kind == "user_event"):
                continue
            handler = handlers.get(kind)
            items = payload[kind]
            if handler is None:
                result.skipped.append(Skipped(ref=ref, reason=f"unsupported event type {kind}"))
                continue
            if not isinstance(items, list):
                raise PermanentParseError(f"{kind}: must be an array")
            for index, item in enumerate(items):
                item_ref = f"{ref}:{kind}[{index}]"
                parse_item(
                    result,
                    item_ref,
                    item,
                    partial(handler, item, ours, users, item_ref, result),
                )
        return result


def _tweet(raw: Any, ours: str, users: dict[str, Any], ref: str, result: ParseResult) -> None:  # noqa: ARG001
    tweet = Tweet.model_validate(require_dict(raw, "tweet"))
    if tweet.user.id_str == ours:
        result.skipped.append(Skipped(ref=ref, reason="our own post"))
        return
    when = from_epoch_any(tweet.timestamp_ms)
    if tweet.retweeted_status is not None:
        original = str(tweet.retweeted_status.get("id_str") or "")
        if not original:
            raise PermanentParseError("retweeted_status.id_str: required")
        result.engagement.append(
            EngagementSnapshot(
                platform="x",
                target_id=original,
                observed_at=when,
                metrics={"retweets": 1},
                raw_ref=ref,
                delta_id=f"retweet:{tweet.id_str}",
            )
        )
        return
    text = (tweet.extended_tweet or {}).get("full_text") or tweet.full_text or tweet.text or ""
    media = (tweet.extended_entities or {}).get("media") or (tweet.entities or {}).get("media")
    quoted = tweet.quoted_status_id_str if tweet.is_quote_status else None
    reply_to = tweet.in_reply_to_status_id_str
    handle = tweet.user.screen_name
    result.mentions.append(
        Mention(
            platform="x",
            platform_id=tweet.id_str,
            kind="reply" if reply_to else "mention",
            author=Author(id=tweet.user.id_str, handle=handle, name=tweet.user.name),
            text=str(text),
            created_at=when,
            url=post_url(tweet.id_str, handle),
            account_id=ours,
            conversation_id=reply_to or tweet.id_str,
            thread_id=reply_to or tweet.id_str,
            in_reply_to=reply_to,
            parent_post_id=quoted or reply_to,
            raw_ref=ref,
            has_media=bool(media),
        )
    )


def _dm(raw: Any, ours: str, users: dict[str, Any], ref: str, result: ParseResult) -> None:
    event = DmEvent.model_validate(require_dict(raw, "direct message event"))
    create = event.message_create
    if event.type != "message_create" or create is None:
        result.skipped.append(Skipped(ref=ref, reason=f"direct message event {event.type}"))
        return
    if create.sender_id == ours:
        result.skipped.append(Skipped(ref=ref, reason="our own outgoing DM"))
        return
    recipient = create.target.get("recipient_id") or ours
    found = users.get(create.sender_id)
    sender = found if isinstance(found, dict) else {}
    conversation = DmConversation.between(create.sender_id, recipient)
    result.mentions.append(
        Mention(
            platform="x",
            platform_id=event.id,
            kind="dm",
            author=Author(
                id=create.sender_id, handle=sender.get("screen_name"), name=sender.get("name")
            ),
            text=create.message_data.text,
            created_at=from_epoch_any(event.created_timestamp),
            url=conversation.url(),
            account_id=ours,
            conversation_id=conversation.encode(),
            raw_ref=ref,
            has_media=create.message_data.attachment is not None,
        )
    )


def _favorite(raw: Any, ours: str, users: dict[str, Any], ref: str, result: ParseResult) -> None:  # noqa: ARG001
    favorite = Favorite.model_validate(require_dict(raw, "favorite event"))
    if favorite.user.id_str == ours:
        result.skipped.append(Skipped(ref=ref, reason="our own like"))
        return
    target = str(favorite.favorited_status.get("id_str") or "")
    if not target:
        raise PermanentParseError("favorited_status.id_str: required")
    result.engagement.append(
        EngagementSnapshot(
            platform="x",
            target_id=target,
            observed_at=from_epoch_any(favorite.timestamp_ms),
            metrics={"likes": 1},
            raw_ref=ref,
            delta_id=f"favorite:{favorite.id}",
        )
    )
