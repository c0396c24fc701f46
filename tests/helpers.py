"""Builders for platform payloads, signed the way the platforms sign them."""

from __future__ import annotations

import hashlib
import hmac
import json
from typing import Any

TELEGRAM_SECRET = "tg_Secret-Token_42"
GENERIC_SECRET = "generic-test-secret"
BOT_TOKEN = "999000111:AAtest-bot-token"


def compact(payload: Any, *, ascii_only: bool = False) -> bytes:
    return json.dumps(payload, separators=(",", ":"), ensure_ascii=ascii_only).encode("utf-8")


def hmac_hex(secret: str, body: bytes) -> str:
    return hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def telegram_headers(secret: str = TELEGRAM_SECRET) -> dict[str, str]:
    return {"Content-Type": "application/json", "X-Telegram-Bot-Api-Secret-Token": secret}


def generic_headers(body: bytes, secret: str = GENERIC_SECRET) -> dict[str, str]:
    return {
        "Content-Type": "application/json",
        "X-Care-Signature": f"sha256={hmac_hex(secret, body)}",
    }


def private_message(update_id: int, message_id: int = 42, text: str = "سلام، کد تخفیف هنوز فعاله؟"):
    return {
        "update_id": update_id,
        "message": {
            "message_id": message_id,
            "from": {"id": 123456789, "is_bot": False, "first_name": "Neda", "language_code": "fa"},
            "chat": {"id": 123456789, "first_name": "Neda", "type": "private"},
            "date": 1735690700,
            "text": text,
        },
    }


def score_tap(update_id: int, data: str, user_id: int = 123456789, query_id: str = "4382"):
    """A tap on an inline button under the bot's message in the customer's private chat."""
    return {
        "update_id": update_id,
        "callback_query": {
            "id": f"{query_id}{update_id}",
            "from": {"id": user_id, "is_bot": False, "first_name": "Neda", "language_code": "fa"},
            "message": {
                "message_id": 1001,
                "from": {"id": 999000111, "is_bot": True, "first_name": "ACME"},
                "chat": {"id": user_id, "first_name": "Neda", "type": "private"},
                "date": 1735690800,
                "text": "How satisfied are you?",
            },
            "chat_instance": "-81234567",
            "data": data,
        },
    }


def edited_private_message(
    update_id: int, message_id: int = 42, text: str = "", edit_date=1735690760
):
    update = private_message(update_id, message_id, text or "سلام، کد تخفیف NOWRUZ هنوز فعاله؟")
    message = update.pop("message")
    message["edit_date"] = edit_date
    update["edited_message"] = message
    return update


CHANNEL = {"id": -1001234567890, "title": "ACME Store", "username": "acme_store", "type": "channel"}
GROUP = {"id": -1009876543210, "title": "ACME Store Chat", "type": "supergroup"}
AUTO_FORWARD = {
    "message_id": 5001,
    "from": {"id": 777000, "is_bot": False, "first_name": "Telegram"},
    "sender_chat": CHANNEL,
    "chat": GROUP,
    "date": 1735690805,
    "forward_origin": {"type": "channel", "chat": CHANNEL, "message_id": 310, "date": 1735690800},
    "is_automatic_forward": True,
    "text": "New collection drops Friday! 🔥",
}


def channel_post(update_id: int = 810000003):
    return {
        "update_id": update_id,
        "channel_post": {
            "message_id": 310,
            "sender_chat": CHANNEL,
            "chat": CHANNEL,
            "date": 1735690800,
            "text": "New collection drops Friday! 🔥",
        },
    }


def auto_forward(update_id: int = 810000004):
    return {"update_id": update_id, "message": AUTO_FORWARD}


def discussion_comment(update_id: int = 810000005):
    return {
        "update_id": update_id,
        "message": {
            "message_id": 5002,
            "message_thread_id": 5001,
            "from": {
                "id": 223344556,
                "is_bot": False,
                "first_name": "Kaveh",
                "username": "kaveh_m",
            },
            "chat": GROUP,
            "date": 1735690900,
            "reply_to_message": AUTO_FORWARD,
            "text": "بسته\u200cام شکسته رسید و کسی پاسخگو نیست! چطور مرجوع کنم؟",
        },
    }


def reaction_count(update_id: int = 810000007):
    return {
        "update_id": update_id,
        "message_reaction_count": {
            "chat": CHANNEL,
            "message_id": 310,
            "date": 1735691000,
            "reactions": [
                {"type": {"type": "emoji", "emoji": "🔥"}, "total_count": 12},
                {"type": {"type": "emoji", "emoji": "👍"}, "total_count": 5},
            ],
        },
    }


def generic_event(**overrides: Any) -> dict[str, Any]:
    event = {
        "platform": "mastodon",
        "id": "109876",
        "kind": "mention",
        "author": {"id": "u-1", "handle": "@sara@example.social", "name": "Sara"},
        "text": "@acme my order never arrived",
        "created_at": "2026-11-20T10:00:00Z",
        "url": "https://example.social/@sara/109876",
    }
    event.update(overrides)
    return event


def published_post(
    post_id: str, network: str, platform_id: str, at: Any, *, account: str, links: Any = None
) -> None:
    """Store a post as the sweep leaves one it published at `at` (for reports and metrics)."""
    from datetime import timedelta

    from chalicelib.clock import iso
    from chalicelib.store import posts as post_store

    item = {
        "id": post_id,
        "network": network,
        "account_id": account,
        "text": "hello",
        "status": "published",
        "created_at": iso(at - timedelta(hours=1)),
        "scheduled_at": iso(at),
        "published_at": iso(at),
        "platform_id": platform_id,
        "version": 3,
    }
    if links is not None:
        item["tracked_links"] = [{"code": c, "target": "https://example.com"} for c in links]
    post_store.create(post_store.Post.from_item(item))
