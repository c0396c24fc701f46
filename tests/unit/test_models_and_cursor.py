from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from chalicelib.clock import iso
from chalicelib.errors import BadRequest
from chalicelib.models import Author, Mention
from chalicelib.store.table import decode_cursor, encode_cursor, serialize


def test_iso_is_utc_with_a_z_suffix():
    tehran = timezone(timedelta(hours=3, minutes=30))
    assert iso(datetime(2026, 3, 20, 12, 0, tzinfo=tehran)) == "2026-03-20T08:30:00.000Z"
    assert iso(datetime(2026, 3, 20, 12, 0)) == "2026-03-20T12:00:00.000Z"


def test_mention_normalises_time_and_derives_its_id():
    mention = Mention(
        platform="telegram",
        platform_id="1:2",
        kind="dm",
        author=Author(id="1"),
        created_at=datetime(2026, 1, 1, 12, 0),
        raw_ref="telegram:7",
    )
    assert mention.created_at.tzinfo == UTC
    assert mention.id == "telegram:1:2"
    assert mention.model_dump(mode="json")["id"] == "telegram:1:2"


def test_cursor_round_trip_and_forgery():
    last_key = serialize({"gsi1pk": "MENTIONS", "gsi1sk": "2026#x", "pk": "p", "sk": "s"})
    cursor = encode_cursor(last_key)
    assert cursor is not None
    assert decode_cursor(cursor, expect={"gsi1pk": "MENTIONS"}) == last_key

    with pytest.raises(BadRequest, match="does not belong"):
        decode_cursor(cursor, expect={"gsi1pk": "TOKENS"})
    with pytest.raises(BadRequest, match="not a valid"):
        decode_cursor("!!!not-base64!!!", expect={"gsi1pk": "MENTIONS"})
    assert decode_cursor(None, expect={"gsi1pk": "MENTIONS"}) is None
    assert encode_cursor(None) is None
