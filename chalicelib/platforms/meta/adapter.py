"""Meta webhooks (Facebook Pages, Instagram, Messenger / Instagram DMs): one endpoint, `meta`.

Authentication: `X-Hub-Signature-256: sha256=<hex HMAC-SHA256(app secret, raw body)>`. Meta signs
the bytes it sends, which escape non-ASCII as `\\uXXXX`, so the body is never re-serialised before
checking. Handshake: `hub.mode=subscribe` + `hub.verify_token` (compared in constant time) →
`hub.challenge` echoed unchanged as text/plain; anything else is refused with 403.

One delivery batches many `entry[]`, each with `changes[]` (Graph fields) or `messaging[]`
(Messenger-style events); each item is parsed on its own (`batching`). The object decides the
platform of the records and who parses the changes: `instagram` → platform `instagram`
(`meta/instagram.py`), `page` → platform `facebook` (`meta/page.py`); `messaging[]` events of
either are DMs (`meta/messaging.py`). Our own messages (`is_echo`, or sent by the Page/IG account
itself) are skipped.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import partial
from typing import Any

from chalicelib.errors import BadRequest, Forbidden
from chalicelib.models import ParseResult, Skipped
from chalicelib.platforms import catalogue
from chalicelib.platforms.base import HandshakeResponse, delivery_ref
from chalicelib.platforms.batching import parse_item, require_dict
from chalicelib.platforms.meta import instagram, messaging, page
from chalicelib.platforms.meta.envelope import Change, Entry
from chalicelib.platforms.signatures import (
    constant_time_equal,
    require_secret,
    verify_prefixed_hex,
)

ROW = catalogue.BY_NAME["meta"]
SECRET_ENV = ROW.signing_env
VERIFY_TOKEN_ENV = "META_VERIFY_TOKEN"
SIGNATURE_HEADER = ROW.signature_header
MAX_CHALLENGE_CHARS = 256
PLATFORM_BY_OBJECT = {"instagram": "instagram", "page": "facebook"}
PARSERS = {"instagram": instagram.change, "facebook": page.change}


class MetaAdapter:
    name = "meta"

    def verify(self, headers: Mapping[str, str], body: bytes) -> None:
        verify_prefixed_hex(
            headers, body, platform=self.name, env_name=SECRET_ENV, name=SIGNATURE_HEADER
        )

    def event_id(self, payload: Any) -> str:
        if not isinstance(payload, dict):
            raise BadRequest("a Meta webhook body must be a JSON object")
        kind = payload.get("object")
        entries = payload.get("entry")
        if not isinstance(kind, str) or not kind:
            raise BadRequest("object: required string")
        if not isinstance(entries, list) or not entries:
            raise BadRequest("entry: required non-empty array")
        first = entries[0] if isinstance(entries[0], dict) else {}
        return f"meta:{kind}:{first.get('id', '?')}:{first.get('time', '?')}:{len(entries)}"

    def handshake(self, query: Mapping[str, str]) -> HandshakeResponse:
        expected = require_secret(VERIFY_TOKEN_ENV, self.name)
        given = query.get("hub.verify_token") or ""
        if query.get("hub.mode") != "subscribe" or not constant_time_equal(given, expected):
            raise Forbidden("verification refused: hub.mode or hub.verify_token is wrong")
        challenge = query.get("hub.challenge") or ""
        if not challenge or len(challenge) > MAX_CHALLENGE_CHARS:
            raise BadRequest(f"hub.challenge: required, at most {MAX_CHALLENGE_CHARS} characters")
        return HandshakeResponse(body=challenge, content_type="text/plain")

    def parse(self, payload: Any) -> ParseResult:
        ref = delivery_ref(self, payload)
        result = ParseResult()
        platform = PLATFORM_BY_OBJECT.get(payload["object"])
        if platform is None:
            result.skipped.append(Skipped(ref=ref, reason=f"object {payload['object']!r}"))
            return result
        for index, raw_entry in enumerate(payload["entry"]):
            entry_ref = f"{ref}:entry[{index}]"
            parse_item(
                result,
                entry_ref,
                raw_entry,
                partial(self._entry, platform, raw_entry, entry_ref, result),
            )
        return result

    def _entry(self, platform: str, raw: Any, ref: str, result: ParseResult) -> None:
        entry = Entry.model_validate(require_dict(raw, "entry"))
        changes = list(entry.changes or [])
        if entry.field is not None:  # the bare form of some Instagram examples
            changes.append({"field": entry.field, "value": entry.value})
        for index, raw_change in enumerate(changes):
            item_ref = f"{ref}:changes[{index}]"
            parse_item(
                result,
                item_ref,
                raw_change,
                partial(self._change, platform, entry, raw_change, item_ref, result),
            )
        for index, raw_event in enumerate(entry.messaging or []):
            item_ref = f"{ref}:messaging[{index}]"
            parse_item(
                result,
                item_ref,
                raw_event,
                partial(messaging.event, platform, entry, raw_event, item_ref, result),
            )

    def _change(self, platform: str, entry: Entry, raw: Any, ref: str, result: ParseResult) -> None:
        PARSERS[platform](entry, Change.model_validate(require_dict(raw, "change")), ref, result)
