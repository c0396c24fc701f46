"""Builders for Meta, X and LinkedIn webhook bodies, built the way each platform sends them.

The secrets are those of the worked vectors in `shared/reference/platforms.md`, so a few tests can
check our signatures against independently computed values. Bodies are compact JSON with no
trailing newline; Meta's are ASCII with `\\uXXXX` escapes (`meta_body`), X's raw UTF-8 by default.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from typing import Any

META_SECRET = "meta_test_app_secret_123"
META_VERIFY_TOKEN = "my-verify-token"
X_SECRET = "x_test_consumer_secret_ABC"
LINKEDIN_SECRET = "li_test_client_secret_xyz"

IG_ACCOUNT = "17841400000000001"
PAGE = "100000000000001"
X_US = "1500000000000000001"
ORG = "urn:li:organization:11223344"
PERSIAN_COMPLAINT = "سفارشم هنوز نرسیده و پشتیبانی جواب نمی\u200cدهد! خیلی ناراضی\u200cام."


def body(payload: Any, *, ascii_only: bool) -> bytes:
    return json.dumps(payload, separators=(",", ":"), ensure_ascii=ascii_only).encode("utf-8")


def meta_body(payload: Any) -> bytes:
    """As Meta sends it: non-ASCII escaped as lowercase \\uXXXX, so the bytes are pure ASCII."""
    return body(payload, ascii_only=True)


def meta_headers(raw: bytes, secret: str = META_SECRET) -> dict[str, str]:
    digest = hmac.new(secret.encode(), raw, hashlib.sha256).hexdigest()
    return {"Content-Type": "application/json", "X-Hub-Signature-256": f"sha256={digest}"}


def x_headers(raw: bytes, secret: str = X_SECRET) -> dict[str, str]:
    digest = hmac.new(secret.encode(), raw, hashlib.sha256).digest()
    return {
        "Content-Type": "application/json",
        "x-twitter-webhooks-signature": "sha256=" + base64.b64encode(digest).decode(),
    }


def linkedin_headers(raw: bytes, secret: str = LINKEDIN_SECRET) -> dict[str, str]:
    digest = hmac.new(secret.encode(), b"hmacsha256=" + raw, hashlib.sha256).hexdigest()
    return {"Content-Type": "application/json", "X-LI-Signature": digest}


# --- Meta -------------------------------------------------------------------------------------


def ig_comment_change(comment_id: str = "18100000000000001", **value: Any) -> dict[str, Any]:
    return {
        "field": "comments",
        "value": {
            "from": {"id": "9000000000000001", "username": "sara.shopper"},
            "media": {"id": "18000000000000001", "media_product_type": "FEED"},
            "id": comment_id,
            "text": "Love this! When is the next drop?",
            **value,
        },
    }


def ig_payload(*changes: dict[str, Any], time: int = 1735689600) -> dict[str, Any]:
    return {
        "object": "instagram",
        "entry": [{"id": IG_ACCOUNT, "time": time, "changes": list(changes)}],
    }


def ig_mention_payload() -> dict[str, Any]:
    return ig_payload(
        {
            "field": "mentions",
            "value": {"media_id": "18000000000000002", "comment_id": "18100000000000002"},
        },
        time=1735689800,
    )


def feed_comment(
    comment: str = "300000000000001",
    *,
    verb: str = "add",
    message: str = PERSIAN_COMPLAINT,
    parent: str | None = None,
    sender: str = "7000000000000001",
) -> dict[str, Any]:
    post_id = f"{PAGE}_200000000000001"
    return {
        "field": "feed",
        "value": {
            "from": {"id": sender, "name": "Ali Rezaei"},
            "post_id": post_id,
            "comment_id": f"200000000000001_{comment}",
            "parent_id": parent or post_id,
            "created_time": 1735689695,
            "item": "comment",
            "verb": verb,
            "message": message,
        },
    }


def feed_reaction(verb: str = "add", reaction: str = "love") -> dict[str, Any]:
    return {
        "field": "feed",
        "value": {
            "from": {"id": "7000000000000002", "name": "Mina"},
            "post_id": f"{PAGE}_200000000000001",
            "created_time": 1735689900,
            "item": "reaction",
            "verb": verb,
            "reaction_type": reaction,
        },
    }


def page_payload(*changes: dict[str, Any], time: int = 1735689700) -> dict[str, Any]:
    return {"object": "page", "entry": [{"id": PAGE, "time": time, "changes": list(changes)}]}


def messaging_payload(obj: str, *events: dict[str, Any]) -> dict[str, Any]:
    account = IG_ACCOUNT if obj == "instagram" else PAGE
    return {
        "object": obj,
        "entry": [{"id": account, "time": 1735690000123, "messaging": list(events)}],
    }


def dm_event(mid: str = "m_1", text: str = "Where is my order?", *, echo: bool = False, obj="page"):
    account = IG_ACCOUNT if obj == "instagram" else PAGE
    user = "2400000000000001"
    sender, recipient = (account, user) if echo else (user, account)
    message: dict[str, Any] = {"mid": mid, "text": text}
    if echo:
        message["is_echo"] = True
    return {
        "sender": {"id": sender},
        "recipient": {"id": recipient},
        "timestamp": 1735690000123,
        "message": message,
    }


def reaction_event(action: str = "react", mid: str = "m_ours") -> dict[str, Any]:
    return {
        "sender": {"id": "2400000000000001"},
        "recipient": {"id": PAGE},
        "timestamp": 1735690001000,
        "reaction": {"mid": mid, "action": action, "reaction": "love", "emoji": "\u2764"},
    }


def meta_batch(entries: int, *, start: int = 0) -> dict[str, Any]:
    """A Page feed delivery with `entries` entries of one comment each."""
    return {
        "object": "page",
        "entry": [
            {
                "id": PAGE,
                "time": 1735689700 + n,
                "changes": [feed_comment(str(300000000000000 + n), message=f"Comment {n}")],
            }
            for n in range(start, start + entries)
        ],
    }


# --- X ----------------------------------------------------------------------------------------


def tweet(
    tweet_id: str = "1874000000000000001",
    *,
    text: str = "@acme_store سلام، ساعت کاری فروشگاه تا چنده؟",
    user: str = "1600000000000000001",
    reply_to: str | None = None,
    **extra: Any,
) -> dict[str, Any]:
    return {
        "created_at": "Wed Jan 01 00:10:00 +0000 2025",
        "id": int(tweet_id),
        "id_str": tweet_id,
        "text": text,
        "in_reply_to_status_id_str": reply_to,
        "in_reply_to_user_id_str": X_US,
        "in_reply_to_screen_name": "acme_store",
        "user": {
            "id": int(user),
            "id_str": user,
            "name": "Maryam",
            "screen_name": "maryam_fa",
            "lang": None,
        },
        "entities": {
            "hashtags": [],
            "urls": [],
            "user_mentions": [
                {
                    "screen_name": "acme_store",
                    "name": "ACME",
                    "id": int(X_US),
                    "id_str": X_US,
                    "indices": [0, 11],
                }
            ],
            "symbols": [],
        },
        "lang": "fa",
        "timestamp_ms": "1735690200000",
        **extra,
    }


def x_tweets(*tweets: dict[str, Any]) -> dict[str, Any]:
    return {"for_user_id": X_US, "user_has_blocked": "false", "tweet_create_events": list(tweets)}


def x_dm(
    event_id: str = "1874000000000000099",
    *,
    sender: str = "1600000000000000002",
    text: str = "سه بار زنگ زدم و کسی جواب نداد. خیلی بد است!",
) -> dict[str, Any]:
    recipient = X_US if sender != X_US else "1600000000000000002"
    return {
        "for_user_id": X_US,
        "direct_message_events": [
            {
                "type": "message_create",
                "id": event_id,
                "created_timestamp": "1735690300000",
                "message_create": {
                    "target": {"recipient_id": recipient},
                    "sender_id": sender,
                    "message_data": {
                        "text": text,
                        "entities": {
                            "hashtags": [],
                            "symbols": [],
                            "user_mentions": [],
                            "urls": [],
                        },
                    },
                },
            }
        ],
        "users": {
            "1600000000000000002": {
                "id": "1600000000000000002",
                "created_timestamp": "1422556069340",
                "name": "Reza",
                "screen_name": "reza_k",
                "protected": False,
                "verified": False,
                "followers_count": 12,
                "friends_count": 40,
                "statuses_count": 100,
            }
        },
    }


def x_favorite(user: str = "1600000000000000003") -> dict[str, Any]:
    return {
        "for_user_id": X_US,
        "favorite_events": [
            {
                "id": "f00dfeed0000000000000000000000a1",
                "created_at": "Wed Jan 01 00:15:00 +0000 2025",
                "timestamp_ms": 1735690500000,
                "favorited_status": {
                    "id_str": "1874000000000000050",
                    "text": "New collection drops Friday!",
                    "user": {"id_str": X_US, "screen_name": "acme_store"},
                },
                "user": {"id_str": user, "screen_name": "john_doe", "name": "John"},
            }
        ],
    }


# --- LinkedIn ---------------------------------------------------------------------------------


LI_POST = "urn:li:activity:7200000000000000001"
LI_COMMENT = f"urn:li:comment:({LI_POST},7200000000000000555)"


def li_comment(notification_id: int = 9100000001, text: str = "Is this role open to remote?"):
    return {
        "notificationId": notification_id,
        "organizationalEntity": ORG,
        "action": "COMMENT",
        "sourcePost": "urn:li:activity:7200000000000000001",
        "generatedActivity": LI_COMMENT,
        "decoratedGeneratedActivity": {
            "comment": {
                "owner": "urn:li:person:AbCdEf1234",
                "entity": LI_COMMENT,
                "object": "urn:li:activity:7200000000000000001",
                "text": text,
            }
        },
        "decoratedSourcePost": {
            "owner": ORG,
            "entity": "urn:li:share:7200000000000000000",
            "text": "We are hiring!",
        },
        "subscriber": "urn:li:person:AbCdEf1234",
        "lastModifiedAt": 1735690600000,
    }


def li_payload(*notifications: dict[str, Any]) -> dict[str, Any]:
    return {
        "type": "ORGANIZATION_SOCIAL_ACTION_NOTIFICATIONS",
        "notifications": list(notifications),
    }


def li_action(action: str, notification_id: int) -> dict[str, Any]:
    return {
        "notificationId": notification_id,
        "organizationalEntity": ORG,
        "action": action,
        "sourcePost": "urn:li:activity:7200000000000000001",
        "subscriber": "urn:li:person:ZzYy0001",
        "lastModifiedAt": 1735690700000,
    }
