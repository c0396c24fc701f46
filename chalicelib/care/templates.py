"""Reply templates: the seeded default set, placeholders, and the suggestion for a ticket.

Placeholders are `{customer_name}`, `{ticket_number}` and `{private_link}`; a template naming
any other is refused when saved, and one needing a value we do not have (no private link
configured or given) is refused when sent, so a customer never sees a raw `{placeholder}`.
The defaults are seeded once (a marker item records the seed version) and never overwrite a
manager's edits: each is a conditional put.
"""

from __future__ import annotations

import re
from typing import Any

from chalicelib.care.snippets import SNIPPETS
from chalicelib.clock import iso, utcnow
from chalicelib.errors import NotFound, Unprocessable
from chalicelib.settings import get_settings
from chalicelib.store import templates as store

PLACEHOLDERS = frozenset({"customer_name", "ticket_number", "private_link"})
_PLACEHOLDER = re.compile(r"\{([^{}]*)\}")
SEED_VERSION = 2  # 2: the snippets with placeholders and blanks (care/snippets.py)
FALLBACK_LANGUAGE = "en"
_NAMELESS = {"en": "there", "fa": "دوست عزیز"}

_CORE: tuple[dict[str, str], ...] = (
    # Empathetic acknowledgements: it happened to you / it is annoying / it matters to you.
    {
        "id": "ack-sorry-en",
        "kind": "acknowledgement",
        "language": "en",
        "name": "Sorry this happened",
        "text": "Hi {customer_name}, I'm truly sorry you had to go through this. We're looking "
        "into it right now (ref. #{ticket_number}) and will get back to you here shortly.",
    },
    {
        "id": "ack-annoying-en",
        "kind": "acknowledgement",
        "language": "en",
        "name": "I know how annoying this is",
        "text": "Hi {customer_name}, I can imagine how frustrating this is, and I'm sorry. I've "
        "logged it as #{ticket_number} and I'm following it up personally.",
    },
    {
        "id": "ack-important-en",
        "kind": "acknowledgement",
        "language": "en",
        "name": "I understand this matters to you",
        "text": "Hi {customer_name}, I understand how important this is to you. Thanks for "
        "letting us know; we're on it (ref. #{ticket_number}).",
    },
    {
        "id": "ack-sorry-fa",
        "kind": "acknowledgement",
        "language": "fa",
        "name": "متأسفیم که این اتفاق افتاد",
        "text": "سلام {customer_name}، واقعاً متأسفیم که چنین تجربه‌ای داشتید. همین حالا "
        "پیگیری را شروع کردیم (شماره پیگیری {ticket_number}) و به‌زودی همین‌جا خبرتان می‌کنیم.",
    },
    {
        "id": "ack-annoying-fa",
        "kind": "acknowledgement",
        "language": "fa",
        "name": "می‌دانم چقدر آزاردهنده است",
        "text": "سلام {customer_name}، می‌دانم این موضوع چقدر کلافه‌کننده است و بابتش عذر "
        "می‌خواهیم. درخواستتان با شماره {ticket_number} ثبت شد و خودم پیگیرش هستم.",
    },
    {
        "id": "ack-important-fa",
        "kind": "acknowledgement",
        "language": "fa",
        "name": "می‌فهمم چقدر برایتان مهم است",
        "text": "سلام {customer_name}، می‌فهمم این موضوع چقدر برایتان مهم است. ممنون که "
        "خبرمان کردید؛ در حال بررسی هستیم (شماره پیگیری {ticket_number}).",
    },
    # Move to a private channel.
    {
        "id": "private-dm-en",
        "kind": "private",
        "channel": "dm",
        "language": "en",
        "name": "Continue in a private message",
        "text": "{customer_name}, so we can check your order details safely, please message us "
        "privately here: {private_link} and mention #{ticket_number}.",
    },
    {
        "id": "private-email-en",
        "kind": "private",
        "channel": "email",
        "language": "en",
        "name": "Continue by e-mail",
        "text": "{customer_name}, could you e-mail us at {private_link} with ref. "
        "#{ticket_number}? That way we can look at your account details securely.",
    },
    {
        "id": "private-phone-en",
        "kind": "private",
        "channel": "phone",
        "language": "en",
        "name": "Continue by phone",
        "text": "{customer_name}, it may be quickest to talk this through: please call us on "
        "{private_link} and quote #{ticket_number}.",
    },
    {
        "id": "private-dm-fa",
        "kind": "private",
        "channel": "dm",
        "language": "fa",
        "name": "ادامه در پیام خصوصی",
        "text": "{customer_name}، برای بررسی امن جزئیات سفارش لطفاً از این لینک به ما پیام "
        "خصوصی بدهید: {private_link} و شماره {ticket_number} را ذکر کنید.",
    },
    {
        "id": "private-email-fa",
        "kind": "private",
        "channel": "email",
        "language": "fa",
        "name": "ادامه با ایمیل",
        "text": "{customer_name}، لطفاً با ذکر شماره پیگیری {ticket_number} به {private_link} "
        "ایمیل بزنید تا اطلاعات حسابتان را با خیال راحت بررسی کنیم.",
    },
    {
        "id": "private-phone-fa",
        "kind": "private",
        "channel": "phone",
        "language": "fa",
        "name": "ادامه با تماس تلفنی",
        "text": "{customer_name}، شاید تلفنی سریع‌تر حل شود: لطفاً با {private_link} تماس "
        "بگیرید و شماره {ticket_number} را اعلام کنید.",
    },
    # Resolution.
    {
        "id": "resolution-en",
        "kind": "resolution",
        "language": "en",
        "name": "Resolved",
        "text": "Hi {customer_name}, good news: #{ticket_number} is sorted. Thank you for your "
        "patience. If anything still isn't right, just reply here and we'll pick it up again.",
    },
    {
        "id": "resolution-fa",
        "kind": "resolution",
        "language": "fa",
        "name": "حل شد",
        "text": "سلام {customer_name}، خبر خوب: درخواست {ticket_number} حل شد. ممنون از "
        "صبوری‌تان. اگر هنوز چیزی درست نیست، همین‌جا بنویسید تا دوباره پیگیری کنیم.",
    },
)

DEFAULTS: tuple[dict[str, str], ...] = (*_CORE, *SNIPPETS)

_seeded = False


def ensure_seeded() -> None:
    """Put the default set once per table; cheap after the first call in a process."""
    global _seeded
    if _seeded:
        return
    if not store.seeded(SEED_VERSION):
        now = iso(utcnow())
        for template in DEFAULTS:
            store.put_template({**template, "updated_at": now}, only_if_new=True)
        store.mark_seeded(SEED_VERSION)
    _seeded = True


def reset_seed_cache() -> None:
    """Tests start from an empty table."""
    global _seeded
    _seeded = False


def check_placeholders(text: str) -> None:
    unknown = sorted({p for p in _PLACEHOLDER.findall(text) if p not in PLACEHOLDERS})
    if unknown:
        raise Unprocessable(
            "the template uses unknown placeholders",
            details=[
                {
                    "field": "text",
                    "problem": f"unknown placeholder(s) {unknown}; allowed: {sorted(PLACEHOLDERS)}",
                }
            ],
        )


def save(template_id: str, body: dict[str, Any]) -> dict[str, Any]:
    from chalicelib.care import placeholders

    placeholders.check(body["text"])  # {{...}} placeholders and blanks (issue 13)
    check_placeholders(placeholders.without(body["text"]))
    if body.get("channel") and body["kind"] != "private":
        raise Unprocessable(
            "only private templates have a channel",
            details=[{"field": "channel", "problem": "allowed only with kind=private"}],
        )
    ensure_seeded()  # so a later first seed does not resurrect a default this edit replaced
    template = {**body, "id": template_id, "updated_at": iso(utcnow())}
    store.put_template({k: v for k, v in template.items() if v is not None})
    return store.get_template(template_id) or template


def listing(
    *,
    kind: str | None,
    language: str | None,
    limit: int,
    cursor: str | None,
    category: str | None,
    shortcut: str | None,
) -> tuple[list[dict[str, Any]], str | None]:
    """A page of templates (the default set is seeded on first use)."""
    ensure_seeded()
    return store.list_templates(
        kind=kind,
        language=language,
        limit=limit,
        cursor=cursor,
        category=category,
        shortcut=shortcut,
    )


def delete(template_id: str) -> None:
    ensure_seeded()  # else a later first seed would bring a deleted default back
    store.delete_template(template_id)


def get(template_id: str) -> dict[str, Any]:
    ensure_seeded()
    template = store.get_template(template_id)
    if template is None:
        raise NotFound(f"no template '{template_id}'")
    return template


def customer_name(author: dict[str, Any], language: str) -> str:
    return author.get("name") or author.get("handle") or _NAMELESS.get(language, "there")


def private_link(ticket: dict[str, Any], given: str | None) -> str | None:
    if given:
        return given
    configured = get_settings().private_link
    return configured.replace("{ticket_number}", str(ticket["number"])) if configured else None


def render(text: str, values: dict[str, str | None]) -> str:
    missing = sorted({p for p in _PLACEHOLDER.findall(text) if not values.get(p)})
    if missing:
        raise Unprocessable(
            "the message needs values that are not available",
            details=[
                {
                    "field": name,
                    "problem": "no value for this placeholder (give it or configure it)",
                }
                for name in missing
            ],
        )
    return _PLACEHOLDER.sub(lambda m: str(values[m.group(1)]), text)


def suggest(ticket: dict[str, Any], mention: dict[str, Any] | None, kind: str) -> dict[str, Any]:
    """The template to offer for `kind`, in the customer's language (else English)."""
    ensure_seeded()
    language = ticket.get("language") or FALLBACK_LANGUAGE
    for lang in dict.fromkeys((language, FALLBACK_LANGUAGE)):
        candidates, _ = store.list_templates(kind=kind, language=lang, limit=50, cursor=None)
        if candidates:
            return _best(candidates, mention)
    raise NotFound(f"no {kind} template in '{language}' or '{FALLBACK_LANGUAGE}'")


def _best(candidates: list[dict[str, Any]], mention: dict[str, Any] | None) -> dict[str, Any]:
    """Pick the empathy that fits: sorry for a complaint, importance for a question."""
    mood = "annoying"
    if mention and mention.get("intent") == "question":
        mood = "important"
    elif mention and (
        mention.get("sentiment") == "negative" or mention.get("intent") == "complaint"
    ):
        mood = "sorry"
    for template in candidates:
        if f"-{mood}-" in template["id"]:
            return template
    return candidates[0]
