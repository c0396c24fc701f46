"""Network rules (X weighted length, Telegram captions, Instagram media, LinkedIn limit) and time
zones, without AWS."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from chalicelib import clock
from chalicelib.errors import Unprocessable
from chalicelib.platforms.text_rules import problems, x_weighted_length
from chalicelib.publishing.sweep import backoff_seconds


@pytest.mark.parametrize(
    ("text", "weight"),
    [
        ("a" * 280, 280),
        ("سلام دنیا", 9),  # Persian is in the single-weight range
        ("你好世界", 8),  # CJK weighs 2
        ("こんにちは", 10),
        ("see https://example.com/a/very/long/path?with=query", 27),  # any URL counts 23
        ("https://example.com.", 24),  # trailing punctuation is not part of the URL
        ("👍", 2),
        ("👍🏽", 2),  # skin tone modifier joins the emoji
        ("👨\u200d👩\u200d👧", 2),  # a ZWJ family is one emoji
        ("🇮🇷", 2),  # a flag is two regional indicators
        ("1\ufe0f\u20e3", 2),  # keycap
        ("e\u0301", 1),  # NFC: e + combining acute is one code point
        ("“quoted” – dash", 15),  # general punctuation weighs 1
    ],
)
def test_x_weighted_length(text, weight):
    assert x_weighted_length(text) == weight


def fields(found):
    return {problem["field"] for problem in found}


def test_x_refuses_281_weighted_but_accepts_140_cjk_characters():
    assert problems("x", "字" * 140, []) == []
    (problem,) = problems("x", "字" * 141, [])
    assert problem["field"] == "text"
    assert "weighted length 282 exceeds x's limit of 280" in problem["problem"]


def test_telegram_caption_with_media_is_1024_and_text_4096():
    assert problems("telegram", "a" * 4096, []) == []
    assert fields(problems("telegram", "a" * 4097, [])) == {"text"}
    (caption,) = problems("telegram", "a" * 1025, ["https://cdn.example.com/a.jpg"])
    assert "1024" in caption["problem"]
    assert "caption" in caption["problem"]


def test_instagram_needs_jpeg_media():
    assert fields(problems("instagram", "hello", [])) == {"media_urls"}
    (bad_type,) = problems("instagram", "hello", ["https://cdn.example.com/a.png"])
    assert bad_type["field"] == "media_urls.0"
    assert "'png'" in bad_type["problem"]
    assert problems("instagram", "hello", ["https://cdn.example.com/a.JPG?x=1"]) == []


def test_linkedin_3000_and_media_urls_must_be_http():
    assert problems("linkedin", "a" * 3000, []) == []
    assert fields(problems("linkedin", "a" * 3001, [])) == {"text"}
    found = problems("linkedin", "hi", ["javascript:alert(1)//a.jpg", "ftp://x/a.jpg"])
    assert fields(found) == {"media_urls.0", "media_urls.1"}


def test_empty_post_is_refused():
    assert fields(problems("facebook", "  ", [])) == {"text"}


def test_tehran_wall_time_is_utc_plus_3_30_without_dst():
    # Iran abolished DST in 2022: June is +03:30 too.
    assert clock.parse_time("2025-06-01T09:00", "Asia/Tehran", field="t") == datetime(
        2025, 6, 1, 5, 30, tzinfo=UTC
    )
    assert clock.local_iso("2025-06-01T05:30:00.000Z", "Asia/Tehran") == "2025-06-01T09:00:00+03:30"


def test_new_york_dst_offsets_and_the_skipped_hour():
    winter = clock.parse_time("2025-01-15T09:00", "America/New_York", field="t")
    summer = clock.parse_time("2025-07-15T09:00", "America/New_York", field="t")
    assert (winter.hour, summer.hour) == (14, 13)
    with pytest.raises(Unprocessable) as error:
        clock.parse_time("2025-03-09T02:30", "America/New_York", field="scheduled_at")
    assert error.value.details[0]["field"] == "scheduled_at"
    assert "skipped" in error.value.details[0]["problem"]
    # The repeated hour in November means its first occurrence (EDT, -04:00).
    assert clock.parse_time("2025-11-02T01:30", "America/New_York", field="t").hour == 5


def test_explicit_offset_wins_over_the_zone_and_unknown_zones_are_422():
    assert clock.parse_time("2025-06-01T09:00+02:00", "Asia/Tehran", field="t").hour == 7
    with pytest.raises(Unprocessable):
        clock.zone("Mars/Olympus")
    with pytest.raises(Unprocessable):
        clock.parse_time("next tuesday", None, field="scheduled_at")


def test_backoff_respects_retry_after_else_doubles():
    assert backoff_seconds(1, 35) == 35
    assert [backoff_seconds(n, None) for n in (1, 2, 3)] == [30, 60, 120]
    assert backoff_seconds(20, None) == 1800
