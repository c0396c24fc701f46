"""Customer satisfaction (issue 13): per team, optional; asked once after a resolution on the
same network, answered once per ticket.

A team with `csat: true` gets, right after a ticket is resolved, a short message in the
customer's language asking for a score from 1 to 5, in the same conversation. The ask is
claimed on the ticket before it is sent (one ask per ticket, even when a resolve is retried or
the ticket is reopened and resolved again). The customer's next message that is only a digit
1-5 (Persian, Arabic-Indic or Latin digits, optionally "/5", a star or "!") is recorded as the
score, once: the write is the ticket's version-locked
one that stamps the mention, so a duplicate delivery finds the stamp and records nothing, and a
later digit is an ordinary message. The ticket is not reopened by an answer.

Where the client can send buttons (`outbound.AsksWithButtons`: Telegram's inline keyboard), the
ask carries one per score and a tap arrives as a `ScoreAnswer`: recorded by `record_tap` with the
same once-per-ticket rule, only for that ticket's customer, and never as a message (no ticket,
no conversation). A digit reply still counts there too.
"""

from __future__ import annotations

import re
from typing import Any

from chalicelib.clock import iso, utcnow
from chalicelib.domain.ticket import Ticket
from chalicelib.errors import ServiceUnavailable
from chalicelib.models import ScoreAnswer
from chalicelib.observability import count, logger
from chalicelib.platforms.outbound import ScoreQuestion

ASK = {
    "en": "How satisfied are you with our help? Reply with a number from 1 (not at all) "
    "to 5 (very).",
    "fa": "چقدر از پاسخگویی ما راضی بودید؟ لطفاً عددی از ۱ (اصلاً) تا ۵ (خیلی زیاد) بفرستید.",
}
LABELS = {"en": ("1", "2", "3", "4", "5"), "fa": ("۱", "۲", "۳", "۴", "۵")}
THANKS = {"en": "Thank you for your feedback!", "fa": "از نظر شما سپاسگزاریم!"}
MAX_ATTEMPTS = 4
_DIGITS = str.maketrans("۰۱۲۳۴۵۶۷۸۹٠١٢٣٤٥٦٧٨٩", "01234567890123456789")
_SCORE = re.compile(r"^\s*([1-5])\s*(?:/\s*5)?\s*[⭐️!.]*\s*$")


def score_of(text: str | None) -> int | None:
    match = _SCORE.match((text or "").translate(_DIGITS))
    return int(match.group(1)) if match else None


def enabled(team_id: str | None) -> bool:
    if not team_id:
        return False
    from chalicelib.store import teams as team_store

    return bool((team_store.get_team(team_id) or {}).get("csat"))


def ask_after_resolution(ticket: Ticket) -> dict[str, Any] | None:
    """Send the ask once (never raises: the resolution already happened)."""
    from chalicelib.care import replies, reply_windows
    from chalicelib.store import csat as store
    from chalicelib.store import mentions as mention_store

    try:
        if ticket.status != "resolved" or ticket.csat or not enabled(ticket.team):
            return None
        claim = {"asked_at": iso(utcnow()), "state": "asking"}
        if not store.claim_ask(ticket.id, claim):
            return None
        mention = mention_store.get_by_id(ticket.mention_ids[-1])
        if mention is None:
            store.note_sent(ticket.id, {**claim, "state": "failed"})
            return None
        language = ticket.language or ""
        text = ASK.get(language, ASK["en"])
        question = ScoreQuestion(ticket.id, LABELS.get(language, LABELS["en"]))
        try:
            reply_windows.check(ticket, mention, private=False)  # Meta's 24 h window
            sent = replies.send(mention, text, private=False, template_id=None, question=question)
        except Exception:  # a failed ask is recorded, never retried blindly (it may be out)
            logger.warning("csat ask not sent", ticket=ticket.id)
            store.note_sent(ticket.id, {**claim, "state": "failed"})
            return None
        asked = {**claim, "state": "asked", "platform_message_id": sent["platform_message_id"]}
        store.note_sent(ticket.id, {k: v for k, v in asked.items() if v is not None})
        count("CsatAsked")
        return asked
    except Exception:
        logger.exception("csat ask failed", ticket=ticket.id)
        return None


def is_answer(ticket: Ticket, mention: dict[str, Any]) -> bool:
    csat = ticket.csat or {}
    return (
        ticket.status == "resolved"
        and csat.get("state") == "asked"
        and "score" not in csat
        and score_of(mention.get("text")) is not None
    )


def record(ticket: Ticket, mention: dict[str, Any]) -> Ticket:
    """Record the score on the ticket with the mention stamped, in one version-locked write."""
    from chalicelib.care import repositories

    score = score_of(mention.get("text"))
    if score is None:
        raise ValueError("not a score")  # is_answer said it was
    transition = ticket.answer_csat(mention["id"], score, now=utcnow())
    recorded = repositories.tickets().apply(transition)
    count("CsatAnswered")
    return recorded


def record_tap(answer: ScoreAnswer) -> tuple[Ticket | None, bool]:
    """The ticket the tap names (None if there is none) and whether this tap recorded its score.

    Recorded only on a ticket still waiting for its score, from the customer it was asked of (a
    button's data comes back from the customer's client, so it is checked, not trusted). A
    second tap or a redelivery finds the score and records nothing."""
    from chalicelib.care import repositories
    from chalicelib.domain.ticket_repository import VersionConflict

    store = repositories.tickets()
    for _ in range(MAX_ATTEMPTS):
        ticket = store.get(answer.ticket_id)
        if (
            ticket is None
            or ticket.conversation.platform != answer.platform
            or str(ticket.conversation.author.id) != answer.author_id
        ):
            count("CsatTapsRefused")
            logger.warning(
                "csat tap refused: no such ticket or not its customer", ticket=answer.ticket_id
            )
            return None, False
        csat = ticket.csat or {}
        if ticket.status != "resolved" or csat.get("state") != "asked" or "score" in csat:
            return ticket, False
        try:
            recorded = store.apply(ticket.answer_csat_by_button(answer.score, now=utcnow()))
        except VersionConflict:
            continue
        count("CsatAnswered")
        return recorded, True
    raise ServiceUnavailable("the ticket kept changing; the tap will be retried")
