"""Write-time report counters: the small hooks the pipeline and the ticket actions call.

Each hook turns one event into counter deltas and makes ONE `UpdateItem ADD` on the day's report
item (`store.measure.add_counts`), so reports never read mentions or tickets:
- a stored mention (not our own channel's post): +1 write, on `REPORT#listening` of its day;
- a ticket acknowledged, resolved, or any action that sent a customer message: +1 write, on
  `REPORT#care` of the day it happened. Other ticket actions cost nothing.

Days are the brand's (`CARE_TIMEZONE`). Counting is at most once: the hooks run after the
event's own write succeeded (a stored-for-the-first-time mention, a ticket write that won), and a
failure here is logged and counted (`ReportCounterFailures`) but never fails the event — the
customer-facing work matters more than a report's exactness.

Counters are typed keys (`measure/counter_keys.py`), encoded to the stored attribute names there
and decoded back there by the reports.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from chalicelib.clock import as_utc, utcnow
from chalicelib.measure import counter_keys as ck
from chalicelib.measure import histogram
from chalicelib.observability import count, logger
from chalicelib.settings import get_settings

CARE, LISTENING = ck.CARE, ck.LISTENING
TERMS_PER_MENTION = 5
TERM_MAX_CHARS = 32
_STOPWORDS = frozenset(
    {
        "a",
        "an",
        "and",
        "are",
        "as",
        "at",
        "be",
        "but",
        "by",
        "can",
        "do",
        "for",
        "from",
        "has",
        "have",
        "how",
        "i",
        "if",
        "in",
        "is",
        "it",
        "its",
        "me",
        "my",
        "no",
        "not",
        "of",
        "on",
        "or",
        "our",
        "so",
        "that",
        "the",
        "their",
        "them",
        "they",
        "this",
        "to",
        "was",
        "we",
        "what",
        "when",
        "where",
        "who",
        "why",
        "will",
        "with",
        "you",
        "your",
        "yes",
        "just",
        "all",
        "any",
        "get",
        "got",
        "out",
        "up",
        "about",
        "there",
        "here",
        "than",
        "then",
        "been",
        "were",
        "would",
        "could",
        "should",
        "http",
        "https",
        "www",
        "com",
        "و",
        "در",
        "به",
        "از",
        "که",
        "این",
        "را",
        "با",
        "است",
        "برای",
        "آن",
        "یک",
        "تا",
        "هم",
        "من",
        "ما",
        "شما",
        "او",
        "ها",
        "های",
        "می",
        "نمی",
        "شد",
        "شده",
        "بود",
        "کرد",
        "کنم",
        "کنید",
        "دارم",
        "دارید",
        "یا",
        "اما",
        "اگر",
        "چه",
        "چرا",
        "کجا",
        "کی",
        "هست",
        "نیست",
        "رو",
    }
)
_WORD = re.compile(r"^[^\W\d_][\w\u200c-]*$")


def day_of(moment: datetime) -> str:
    """The brand's calendar day of a moment (`YYYY-MM-DD`)."""
    return as_utc(moment).astimezone(ZoneInfo(get_settings().timezone)).strftime("%Y-%m-%d")


# While a consumer batch runs, listening deltas are summed here and written once per (report,
# day) when the batch ends: ten mentions cost one UpdateItem instead of ten.
_batch: ContextVar[dict[tuple[str, str], Counter[str]] | None] = ContextVar(
    "report_batch", default=None
)


@contextmanager
def batched() -> Iterator[None]:
    pending: dict[tuple[str, str], Counter[str]] = {}
    marker = _batch.set(pending)
    try:
        yield
    finally:
        _batch.reset(marker)
        for (kind, day), deltas in pending.items():
            _write(kind, day, dict(deltas))


def _record(kind: str, moment: datetime, deltas: dict[str, int]) -> None:
    if not deltas:
        return
    day = day_of(moment)
    pending = _batch.get()
    if pending is not None:
        pending.setdefault((kind, day), Counter()).update(deltas)
        return
    _write(kind, day, deltas)


def _write(kind: str, day: str, deltas: dict[str, int]) -> None:
    from chalicelib.store import measure as store

    try:
        try:
            store.add_counts(kind, day, deltas)
        except store.ItemTooLarge:
            # Only the open-ended term counters can grow an item that far: keep the rest.
            count("ReportTermsDropped")
            store.add_counts(kind, day, {k: n for k, n in deltas.items() if not _open_ended(k)})
        count("ReportCounterWrites")
    except Exception:
        count("ReportCounterFailures")
        logger.exception("report counters not updated", report=kind, day=day)


def _open_ended(name: str) -> bool:
    try:
        return isinstance(ck.decode(LISTENING, name), ck.Term)
    except ck.UnknownCounter:
        return False


# --- listening ---------------------------------------------------------------------------------


def terms_of(tokens: tuple[str, ...] | list[str]) -> list[str]:
    """Up to TERMS_PER_MENTION distinct content words (the first ones: a bounded, cheap choice)."""
    picked: list[str] = []
    for token in tokens:
        word = token.lower()
        if (
            len(word) < 3
            or len(word) > TERM_MAX_CHARS
            or word in _STOPWORDS
            or not _WORD.match(word)
            or word in picked
        ):
            continue
        picked.append(word)
        if len(picked) == TERMS_PER_MENTION:
            break
    return picked


def mention_deltas(
    mention: Any, *, tokens: tuple[str, ...] = (), rule_categories: dict[str, str] | None = None
) -> dict[str, int]:
    """The listening counters one mention adds to its day, by stored name.

    A rule's counter carries the rule's category, so a report can tell brand, competitor and
    influencer/figure rules apart without reading the rules; a question under one of our posts
    is also counted against that post.
    """
    deltas: Counter[ck.CounterKey] = Counter()
    sentiment = mention.sentiment
    deltas[ck.Mentions()] += 1
    deltas[ck.Facet("s", sentiment)] += 1
    deltas[ck.Facet("net", mention.platform)] += 1
    deltas[ck.Facet("lang", mention.language)] += 1
    deltas[ck.Facet("intent", mention.intent)] += 1
    for category in mention.categories:
        deltas[ck.Category(category)] += 1
        deltas[ck.Category(category, sentiment)] += 1
    for rule in mention.rules:
        category = (rule_categories or {}).get(rule, "other")
        deltas[ck.Rule(category, rule)] += 1
        deltas[ck.Rule(category, rule, sentiment)] += 1
    if getattr(mention, "intake", None) == "triage":
        deltas[ck.Facet("triage", str(mention.triage_reason))] += 1
    if mention.intent == "question":
        deltas[ck.Questions(mention.platform)] += 1
        if mention.parent_post_id:
            deltas[ck.Questions(mention.platform, mention.parent_post_id)] += 1
    hashtags = (mention.entities or {}).get("hashtags") or []
    for tag in list(dict.fromkeys(t.lower().lstrip("#") for t in hashtags))[:TERMS_PER_MENTION]:
        if tag and len(tag) <= TERM_MAX_CHARS:
            deltas[ck.Term("h", tag)] += 1
    for term in terms_of(tokens):
        deltas[ck.Term("t", term)] += 1
    return ck.encode_all(deltas)


def on_mention_stored(
    mention: Any, *, tokens: tuple[str, ...] = (), rule_categories: dict[str, str] | None = None
) -> None:
    """Hook: a mention was stored for the first time. Our own channel's posts are not heard."""
    if mention.kind == "post" and mention.account_id:
        return
    deltas = mention_deltas(mention, tokens=tokens, rule_categories=rule_categories)
    _record(LISTENING, mention.created_at, deltas)


# --- care --------------------------------------------------------------------------------------

PHASES: dict[str, tuple[ck.SlaClock, str, ck.DurationMetric]] = {
    "acknowledge": ("ack", "acknowledged_at", "frt"),
    "resolve": ("resolve", "resolved_at", "res"),
}


def _dimensions(ticket: dict[str, Any], actor: str | None) -> list[ck.Dimension]:
    dims = [
        ck.ALL,
        ck.Dimension("network", str(ticket.get("platform"))),
        ck.Dimension("priority", str(ticket.get("priority"))),
    ]
    if ticket.get("team"):
        dims.append(ck.Dimension("team", str(ticket["team"])))
    agent = ticket.get("assignee") or actor
    if agent:
        dims.append(ck.Dimension("agent", str(agent)))
    return dims


def ticket_deltas(
    action: str,
    before: dict[str, Any],
    after: dict[str, Any],
    sent: dict[str, Any] | None,
    actor: str | None = None,
) -> dict[str, int]:
    """The care counters one ticket action adds, by stored name: a duration bucket and an SLA
    outcome per dimension for an acknowledgement (first response) or resolution, and one
    response per message sent. SLA outcomes are exclusive: `met`, `at_risk` (met, but only
    after the workflow had flagged it at risk: a near miss) and `breached`."""
    deltas: Counter[ck.CounterKey] = Counter()
    if sent is not None:
        deltas[ck.Responses(str(after.get("platform")))] += 1
        deltas[ck.Responses()] += 1
    phase = PHASES.get(action)
    if phase is not None:
        sla_clock, done_field, metric = phase
        from chalicelib.clock import from_iso

        # From when the SLA clock started (a ticket opened from triage: the mention's time).
        done, opened = after.get(done_field), after.get("opened_at") or after.get("created_at")
        state = (after.get("sla") or {}).get(sla_clock)
        if state == "met" and (before.get("sla") or {}).get(sla_clock) == "at_risk":
            state = "at_risk"
        seconds = (from_iso(done) - from_iso(opened)).total_seconds() if done and opened else None
        outcome = state if state in ck.SLA_STATES else None
        for dim in _dimensions(after, actor):
            if seconds is not None:
                deltas[ck.Duration(metric, dim, histogram.bucket(seconds))] += 1
            if outcome is not None:
                deltas[ck.SlaOutcome(sla_clock, dim, outcome)] += 1
    return ck.encode_all(deltas)


def on_ticket_action(
    action: str,
    before: dict[str, Any],
    after: dict[str, Any],
    sent: dict[str, Any] | None,
    actor: str | None = None,
) -> None:
    """Hook: a ticket action's write succeeded; counted on the day it happened."""
    from chalicelib.clock import from_iso

    deltas = ticket_deltas(action, before, after, sent, actor)
    at = after.get("updated_at")
    _record(CARE, from_iso(at) if at else utcnow(), deltas)


# --- intake and triage --------------------------------------------------------------------------

INTAKE_EVENTS = ck.INTAKE_EVENTS


def on_intake(event: ck.IntakeEvent, moment: datetime | None = None) -> None:
    """Hook: an agent's triage decision or label correction was written (`INTAKE_EVENTS`);
    counted on the care report of the day it happened."""
    _record(CARE, moment or utcnow(), ck.encode_all({ck.Intake(event): 1}))
