"""What each network accepts, checked before a post is saved or scheduled, so a post that cannot
be published is refused with a 422 naming the field instead of failing at its publish time.

X counts a *weighted* length (twitter-text v3 config): every code point weighs 2 except those in
the ranges below, which weigh 1; any http(s) URL counts 23 (t.co); an emoji, including a ZWJ
sequence, a skin-tone or keycap sequence or a flag pair, counts 2 as a whole; text is NFC-normalised
first. Covered: the four single-weight ranges (Latin, Greek, Cyrillic, Arabic/Persian, Hebrew, Indic
… up to U+10FF; general punctuation spaces, dashes, quotes, primes), CJK/Hangul/kana and everything
else at weight 2, http(s) URLs, and emoji in the main emoji blocks. Not covered: bare domains
without a scheme (`example.com` counts as its characters, which can only over-count).

Telegram counts message length in UTF-16 code units (as its entity offsets do), which can only
over-count compared with characters, so a post accepted here is never too long there.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from urllib.parse import urlsplit

from chalicelib.errors import Unprocessable
from chalicelib.platforms import catalogue
from chalicelib.vocabulary import NETWORKS

URL_PATTERN = re.compile(r"https?://[^\s<>\"'\u200c\u200f]+", re.IGNORECASE)
_TRAILING = ".,;:!?)]}»،؛"

X_MAX_WEIGHTED = catalogue.BY_NAME["x"].reply_limit  # a post, and a reply, which is a post
X_URL_WEIGHT = 23
_X_LIGHT_RANGES = ((0x0000, 0x10FF), (0x2000, 0x200D), (0x2010, 0x201F), (0x2032, 0x2037))
_EMOJI_RANGES = (
    (0x1F000, 0x1FAFF),  # mahjong … symbols & pictographs extended-A
    (0x2600, 0x27BF),  # misc symbols, dingbats
    (0x2B00, 0x2BFF),  # arrows, stars (⭐ ⬛)
    (0x2300, 0x23FF),  # ⌚ ⏰
)
_JOINERS = {0x200D}
_MODIFIERS = {0xFE0F, 0xFE0E, 0x20E3} | set(range(0x1F3FB, 0x1F400)) | set(range(0xE0020, 0xE0080))
_REGIONAL = (0x1F1E6, 0x1F1FF)


@dataclass(frozen=True)
class NetworkRules:
    text_limit: int
    media_limit: int
    media_types: frozenset[str]
    caption_limit: int | None = None  # limit of the text when media is attached
    needs_media: bool = False


IMAGE = frozenset({"jpg", "jpeg", "png", "gif", "webp"})
VIDEO = frozenset({"mp4", "mov"})

RULES: dict[str, NetworkRules] = {
    "x": NetworkRules(text_limit=X_MAX_WEIGHTED, media_limit=4, media_types=IMAGE | VIDEO),
    "telegram": NetworkRules(
        text_limit=4096, caption_limit=1024, media_limit=10, media_types=IMAGE | VIDEO
    ),
    # Instagram's content publishing API takes JPEG images only (and MP4/MOV for reels).
    "instagram": NetworkRules(
        text_limit=2200,
        media_limit=10,
        media_types=frozenset({"jpg", "jpeg"}) | VIDEO,
        needs_media=True,
    ),
    "facebook": NetworkRules(
        text_limit=63206, media_limit=10, media_types=IMAGE | VIDEO | {"bmp", "tiff"}
    ),
    "linkedin": NetworkRules(
        text_limit=3000,
        media_limit=20,
        media_types=frozenset({"jpg", "jpeg", "png", "gif"}) | VIDEO,
    ),
}


def find_urls(text: str) -> list[tuple[int, int]]:
    """Spans of http(s) URLs, without the sentence punctuation that often follows one."""
    spans = []
    for match in URL_PATTERN.finditer(text):
        start, end = match.span()
        while end > start and text[end - 1] in _TRAILING:
            end -= 1
        spans.append((start, end))
    return spans


def _in(ranges: tuple[tuple[int, int], ...], code: int) -> bool:
    return any(low <= code <= high for low, high in ranges)


def _is_emoji(code: int) -> bool:
    return _in(_EMOJI_RANGES, code) or _REGIONAL[0] <= code <= _REGIONAL[1]


def _weigh(segment: str) -> int:
    codes = [ord(ch) for ch in segment]
    weight, i = 0, 0
    while i < len(codes):
        code = codes[i]
        if _is_emoji(code):
            weight += 2
            i += 1
            if _REGIONAL[0] <= code <= _REGIONAL[1]:
                if i < len(codes) and _REGIONAL[0] <= codes[i] <= _REGIONAL[1]:
                    i += 1  # a flag is two regional indicators
                continue
            while i < len(codes):
                if codes[i] in _MODIFIERS:
                    i += 1
                elif codes[i] in _JOINERS and i + 1 < len(codes) and _is_emoji(codes[i + 1]):
                    i += 2
                else:
                    break
            continue
        keycap = codes[i + 1 : i + 3] == [0xFE0F, 0x20E3] or codes[i + 1 : i + 2] == [0x20E3]
        if keycap and (0x30 <= code <= 0x39 or code in (0x23, 0x2A)):
            # A keycap (1️⃣): digit + FE0F + 20E3 is one emoji.
            weight += 2
            i += 3 if codes[i + 1] == 0xFE0F else 2
            continue
        weight += 1 if _in(_X_LIGHT_RANGES, code) else 2
        i += 1
    return weight


def x_weighted_length(text: str) -> int:
    """X's weighted length of `text` (see the module docstring for what is covered)."""
    text = unicodedata.normalize("NFC", text)
    total, position = 0, 0
    for start, end in find_urls(text):
        total += _weigh(text[position:start]) + X_URL_WEIGHT
        position = end
    return total + _weigh(text[position:])


def utf16_length(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def text_length(network: str, text: str) -> int:
    if network == "x":
        return x_weighted_length(text)
    if network == "telegram":
        return utf16_length(text)
    return len(text)


def media_type(url: str) -> str:
    path = urlsplit(url).path
    name = path.rsplit("/", 1)[-1]
    return name.rsplit(".", 1)[-1].lower() if "." in name else ""


def check_http_url(url: str) -> str | None:
    """Why `url` is not an absolute http(s) URL, or None when it is."""
    if any(ch.isspace() or ord(ch) < 0x20 for ch in url):
        return "must not contain spaces or control characters"
    parts = urlsplit(url)
    if parts.scheme.lower() not in ("http", "https"):
        return "must be an http(s) URL"
    if not parts.hostname:
        return "must have a host"
    return None


def problems(network: str, text: str, media_urls: list[str]) -> list[dict[str, str]]:
    """Every reason `network` would refuse this post, as `{field, problem}`."""
    rules = RULES.get(network)
    if rules is None:
        return [{"field": "network", "problem": f"must be one of {', '.join(NETWORKS)}"}]
    found: list[dict[str, str]] = []
    if not text.strip() and not media_urls:
        found.append({"field": "text", "problem": "a post needs text or media"})
    if rules.needs_media and not media_urls:
        found.append(
            {"field": "media_urls", "problem": f"{network} posts need at least one image or video"}
        )
    if len(media_urls) > rules.media_limit:
        found.append(
            {
                "field": "media_urls",
                "problem": f"{network} takes at most {rules.media_limit} media items",
            }
        )
    for n, url in enumerate(media_urls):
        reason = check_http_url(url)
        kind = media_type(url)
        if reason:
            found.append({"field": f"media_urls.{n}", "problem": reason})
        elif kind not in rules.media_types:
            allowed = ", ".join(sorted(rules.media_types))
            found.append(
                {
                    "field": f"media_urls.{n}",
                    "problem": f"type '{kind or 'unknown'}' is not accepted by {network} "
                    f"(allowed: {allowed})",
                }
            )
    limit = rules.caption_limit if media_urls and rules.caption_limit else rules.text_limit
    length = text_length(network, text)
    if length > limit:
        what = "weighted length" if network == "x" else "length"
        context = " with media (caption)" if limit == rules.caption_limit and media_urls else ""
        found.append(
            {
                "field": "text",
                "problem": f"{what} {length} exceeds {network}'s limit of {limit}{context}",
            }
        )
    return found


def validate(network: str, text: str, media_urls: list[str]) -> None:
    found = problems(network, text, media_urls)
    if found:
        raise Unprocessable(f"the post does not fit {network}'s rules", details=found)
