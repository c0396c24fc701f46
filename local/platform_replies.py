"""What each platform answers when a send or publish succeeds, for the fake platform server's
plausible mode (`make run` with no platform configured).

The bodies carry the fields our outbound clients read (`chalicelib/platforms/<name>/client.py`)
in the shapes the platforms document, with fresh ids per answer, so a reply or a published post
gets a believable platform id and URL back. Only success is modelled: failures are what the strict
mode's programmed replies are for. `answer()` returns None for an endpoint it does not know,
which the server turns into a 404 naming the request.
"""

from __future__ import annotations

import itertools
import re
import threading
import time
import zlib
from typing import Any

from local.fake_replies import Recorded, Reply

_TELEGRAM = re.compile(r"^/bot[^/]+/(?P<method>[A-Za-z]+)$")
_META = re.compile(r"^/v\d+\.\d+/(?P<path>.+)$")
_X_DM = re.compile(
    r"^/2/dm_conversations/(?:with/(?P<participant>[^/]+)|(?P<conv>[^/]+))/messages$"
)
_LI_COMMENTS = re.compile(r"^/rest/socialActions/(?P<target>[^/]+)/comments$")
OUR_X_USER = 1_600_000_000_000_000_001  # "our" account in the fake's DM conversation ids
BOT = {
    "id": 7000000001,
    "is_bot": True,
    "first_name": "carecycle dev",
    "username": "carecycle_dev_bot",
}


def platform_of(path: str) -> tuple[str, str]:
    """(platform, operation) of a request path; Telegram's token never leaves this function."""
    if match := _TELEGRAM.match(path):
        return "telegram", match["method"]
    if path.startswith("/2/"):
        return "x", "dm" if "/dm_conversations/" in path else path.removeprefix("/2/")
    if path.startswith("/rest/"):
        return "linkedin", "comment" if _LI_COMMENTS.match(path) else path.removeprefix("/rest/")
    if match := _META.match(path):
        return "meta", match["path"].rsplit("/", 1)[-1] if "/" in match["path"] else "object"
    return "unknown", path


def redact(path: str) -> str:
    """The path with a Telegram bot token replaced, fit to show."""
    return re.sub(r"^/bot[^/]+/", "/bot<token>/", path)


class PlausibleReplies:
    """Success answers with ids from one counter per kind (thread-safe: the server is threaded)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._counters: dict[str, itertools.count[int]] = {}
        self._published = 0

    def _next(self, kind: str, start: int) -> int:
        with self._lock:
            counter = self._counters.setdefault(kind, itertools.count(start))
            return next(counter)

    def answer(self, request: Recorded) -> Reply | None:
        platform, _ = platform_of(request.path)
        try:
            body = request.json() or {}
        except ValueError:
            return Reply(status=400, body={"error": "the body is not JSON"})
        if not isinstance(body, dict):
            body = {}
        if platform == "telegram":
            return self._telegram(_TELEGRAM.match(request.path)["method"], body)  # type: ignore[index]
        if platform == "x":
            return self._x(request.path, body)
        if platform == "linkedin":
            return self._linkedin(request.path, body)
        if platform == "meta":
            return self._meta(request.method, _META.match(request.path)["path"], request, body)  # type: ignore[index]
        return None

    # --- Telegram Bot API ---------------------------------------------------------------------

    def _telegram(self, method: str, params: dict[str, Any]) -> Reply:
        if method == "getMe":
            return Reply(body={"ok": True, "result": BOT})
        if method == "answerCallbackQuery":
            if not params.get("callback_query_id"):
                return Reply(
                    status=400,
                    body={"ok": False, "error_code": 400, "description": "query is too old"},
                )
            return Reply(body={"ok": True, "result": True})
        if method not in ("sendMessage", "sendPhoto", "sendMediaGroup"):
            return Reply(body={"ok": True, "result": True})  # setWebhook and the like
        chat = _telegram_chat(params.get("chat_id"))
        if method == "sendMediaGroup":
            media = params.get("media") or []
            messages = [
                {**self._message(chat), "photo": _photo(item.get("media"))}
                for item in media
                if isinstance(item, dict)
            ]
            return Reply(body={"ok": True, "result": messages})
        message = self._message(chat)
        if method == "sendMessage":
            message["text"] = params.get("text", "")
        else:
            message["photo"] = _photo(params.get("photo"))
            if params.get("caption"):
                message["caption"] = params["caption"]
        reply_to = (params.get("reply_parameters") or {}).get("message_id")
        if reply_to is not None:
            message["reply_to_message"] = {"message_id": reply_to, "chat": chat}
        if params.get("message_thread_id") is not None:
            message["message_thread_id"] = params["message_thread_id"]
        if isinstance(params.get("reply_markup"), dict):  # Telegram echoes an inline keyboard
            message["reply_markup"] = params["reply_markup"]
        return Reply(body={"ok": True, "result": message})

    def _message(self, chat: dict[str, Any]) -> dict[str, Any]:
        return {
            "message_id": self._next("telegram", 1001),
            "from": BOT,
            "chat": chat,
            "date": int(time.time()),
        }

    # --- X API v2 -----------------------------------------------------------------------------

    def _x(self, path: str, body: dict[str, Any]) -> Reply | None:
        if path == "/2/tweets":
            post_id = str(self._next("x", 1_870_000_000_000_000_001))
            data = {
                "id": post_id,
                "text": body.get("text", ""),
                "edit_history_tweet_ids": [post_id],
            }
            return Reply(status=201, body={"data": data})
        if match := _X_DM.match(path):
            conversation = match["conv"] or "-".join(
                sorted([str(OUR_X_USER), str(match["participant"])], key=_as_int)
            )
            event = str(self._next("x-dm", 1_870_500_000_000_000_001))
            return Reply(
                status=201,
                body={"data": {"dm_conversation_id": conversation, "dm_event_id": event}},
            )
        return None

    # --- LinkedIn Community Management API ----------------------------------------------------

    def _linkedin(self, path: str, body: dict[str, Any]) -> Reply | None:
        if path == "/rest/posts":
            urn = f"urn:li:share:{self._next('linkedin', 7_300_000_000_000_000_001)}"
            return Reply(status=201, body=b"", headers={"x-restli-id": urn})
        if match := _LI_COMMENTS.match(path):
            comment_id = self._next("linkedin-comment", 7_300_500_000_000_000_001)
            activity = str(body.get("object") or match["target"]).rsplit(":", 1)[-1]
            urn = f"urn:li:comment:(urn:li:activity:{activity},{comment_id})"
            answer = {
                "id": str(comment_id),
                "$URN": urn,
                "actor": body.get("actor"),
                "object": body.get("object"),
                "message": body.get("message"),
            }
            return Reply(status=201, body=answer, headers={"x-restli-id": urn})
        return None

    # --- Meta Graph API -----------------------------------------------------------------------

    def _meta(
        self, method: str, path: str, request: Recorded, body: dict[str, Any]
    ) -> Reply | None:
        parts = path.split("/")
        if method == "GET":
            if len(parts) == 2 and parts[1] == "content_publishing_limit":
                with self._lock:
                    used = self._published
                row = {"quota_usage": used, "config": {"quota_total": 100, "quota_duration": 86400}}
                return Reply(body={"data": [row]})
            if len(parts) == 1:
                answer: dict[str, Any] = {"id": parts[0]}
                if "permalink" in request.query.get("fields", ""):
                    answer["permalink"] = f"https://www.instagram.com/p/{_shortcode(parts[0])}/"
                return Reply(body=answer)
            return None
        if len(parts) != 2:
            return None
        owner, edge = parts
        if owner == "me" and edge == "messages":
            recipient = body.get("recipient") or {}
            answer = {"message_id": f"m_{self._next('meta-message', 1001)}"}
            if recipient.get("id"):
                answer["recipient_id"] = str(recipient["id"])
            return Reply(body=answer)
        if edge == "media":
            return Reply(body={"id": str(self._next("meta-container", 17_900_000_000_000_001))})
        if edge == "media_publish":
            with self._lock:
                self._published += 1
            return Reply(body={"id": str(self._next("meta-media", 17_950_000_000_000_001))})
        if edge == "feed":
            return Reply(body={"id": f"{owner}_{self._next('meta-post', 122_000_000_000_001)}"})
        if edge == "photos":
            photo = self._next("meta-photo", 122_500_000_000_001)
            answer = {"id": str(photo)}
            if body.get("published", True) is not False:
                answer["post_id"] = f"{owner}_{photo}"
            return Reply(body=answer)
        if edge in ("comments", "replies"):
            return Reply(body={"id": f"{owner}_{self._next('meta-comment', 1001)}"})
        return None


def _telegram_chat(value: Any) -> dict[str, Any]:
    """A chat object for `chat_id`: `@name` is a public channel with a stable negative id."""
    if isinstance(value, str) and value.startswith("@"):
        name = value[1:]
        return {
            "id": -1_000_000_000_000 - zlib.crc32(name.encode()) % 1_000_000_000,
            "title": name,
            "username": name,
            "type": "channel",
        }
    chat_id = _as_int(value)
    if chat_id > 0:
        return {"id": chat_id, "type": "private"}
    return {"id": chat_id, "type": "supergroup", "title": "chat"}


def _photo(source: Any) -> list[dict[str, Any]]:
    unique = f"{zlib.crc32(str(source).encode()):08x}"
    return [{"file_id": f"AgAC{unique}", "file_unique_id": unique, "width": 1280, "height": 960}]


def _shortcode(media_id: str) -> str:
    return f"C{zlib.crc32(media_id.encode()):x}"


def _as_int(value: Any) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0
