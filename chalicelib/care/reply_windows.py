"""How long after the customer's last message each network lets us answer, in one table.

A reply outside its window fails at the platform (Meta: error 10 / subcode 2018278, "message
sent outside of allowed window"), after the ticket's send slot was taken and with a confusing
502. So the window is known here: the ticket carries `reply_window_ends_at` (set when the
customer writes), the inbox flags `reply_window_closing` in the last `WARN_SECONDS`, and an
action whose message would go out after the end is refused with 409 `reply_window_closed`
BEFORE anything is claimed or sent.

Sources (see /work/shared/reference/platforms.md):
- Facebook Messenger and Instagram DMs: the standard messaging window is 24 h after the
  person's last message; only their next message opens a new one (platforms.md §5.2-5.3,
  "Private reply ... does not open the 24 h messaging window; only the user's response does";
  Meta Messenger Platform policy, "24-hour standard messaging window"). Human-agent tags (7 d)
  need app review we do not have, so they are not assumed.
- A private reply to a Facebook/Instagram comment (`private: true` on a comment): one message
  within 7 days of the comment (platforms.md §5.3).
- Telegram bots, X DMs, LinkedIn and public comments/replies/mentions everywhere: no window
  (a public answer can be posted any time; Telegram and X impose none on DMs to a person who
  wrote to us).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from chalicelib.clock import iso, utcnow
from chalicelib.domain.ticket import Ticket
from chalicelib.errors import Conflict

DAY = 24 * 3600
# (platform, kind) -> seconds after the customer's last message; absent: no window.
DM_WINDOWS: dict[str, int] = {"facebook": DAY, "instagram": DAY}
PRIVATE_REPLY_WINDOWS: dict[str, int] = {"facebook": 7 * DAY, "instagram": 7 * DAY}
WARN_SECONDS = 2 * 3600  # the inbox flags a window closing within this


class WindowClosed(Conflict):
    code = "reply_window_closed"


def _parse(value: str | None) -> datetime | None:
    if not value:
        return None
    return datetime.fromisoformat(value.replace("Z", "+00:00"))


def window_seconds(platform: str, kind: str, *, private: bool = False) -> int | None:
    """The window of answering a message of `kind` on `platform` (None: no window)."""
    if kind == "dm":
        return DM_WINDOWS.get(platform)
    if private and kind in ("comment", "reply"):
        return PRIVATE_REPLY_WINDOWS.get(platform)
    return None


def ends_at(mention: dict[str, Any]) -> str | None:
    """When the window that this customer message opens closes (None: it opens none)."""
    seconds = window_seconds(mention.get("platform", ""), mention.get("kind", ""))
    written = _parse(mention.get("created_at"))
    if seconds is None or written is None:
        return None
    return iso(written + timedelta(seconds=seconds))


def fields(mention: dict[str, Any]) -> dict[str, Any]:
    """The ticket attribute a customer message sets (intake hook)."""
    return {"reply_window_ends_at": ends_at(mention)} if ends_at(mention) else {}


def annotate(ticket: dict[str, Any], now: datetime | None = None) -> dict[str, Any]:
    """Add `reply_window_closing` / `reply_window_closed` flags to a ticket read for the API."""
    end = _parse(ticket.get("reply_window_ends_at"))
    if end is None or ticket.get("status") == "resolved":
        return ticket
    moment = now or utcnow()
    left = (end - moment).total_seconds()
    return {
        **ticket,
        "reply_window_closed": left <= 0,
        "reply_window_closing": 0 < left <= WARN_SECONDS,
    }


def check(
    ticket: Ticket,
    mention: dict[str, Any],
    *,
    private: bool,
) -> None:
    """Refuse a message the platform would refuse for its window, before anything is sent.

    A DM's window runs from the customer's LAST message in the conversation (the ticket's
    `reply_window_ends_at`, else the answered mention's time); a private reply to a comment
    from that comment's time.
    """
    platform, kind = mention.get("platform", ""), mention.get("kind", "")
    seconds = window_seconds(platform, kind, private=private)
    if seconds is None:
        return
    if kind == "dm":
        end = _parse(ticket.reply_window_ends_at) or _parse(ends_at(mention))
    else:
        written = _parse(mention.get("created_at"))
        end = written + timedelta(seconds=seconds) if written else None
    if end is None or utcnow() < end:
        return
    hours = seconds // 3600
    raise WindowClosed(
        f"{platform} only accepts this reply within {hours} h of the customer's last message; "
        f"the window closed at {iso(end)}. Wait for the customer to write again, or reach them "
        "another way.",
        details=[
            {
                "ticket_id": ticket.id,
                "platform": platform,
                "kind": kind,
                "window_seconds": seconds,
                "reply_window_ends_at": iso(end),
            }
        ],
    )
