"""Template placeholders filled from the ticket and customer, and blanks the agent fills in.

`{{customer.name}}`, `{{ticket.number}}`, `{{order_number}}` (read from what the customer
wrote, Persian, Arabic-Indic or Latin digits), `{{team}}` (the owning team's name) and `{{link}}`
(the private link) are filled by us; `{{blank:tracking_code}}` is a blank the agent must
complete (`blanks: {"tracking_code": "..."}` in the action body). A message with a blank left,
or a placeholder we cannot fill, is refused with 422 naming it, so a customer never sees a raw
`{{...}}`. The agent may also give any filled placeholder in `blanks` to override it (an order
number the customer did not write). The older single-brace `{customer_name}` placeholders keep
working (`templates.render`); double braces are rendered first.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from chalicelib.errors import Unprocessable

_DOUBLE = re.compile(r"\{\{\s*([^{}]*?)\s*\}\}")
_BLANK_NAME = r"[a-z][a-z0-9_]{0,31}"
BLANK = re.compile(rf"^blank:({_BLANK_NAME})$")
BLANK_NAME_PATTERN = rf"^{_BLANK_NAME}$"
FILLED = ("customer.name", "ticket.number", "order_number", "team", "link")

# Persian (U+06F0..) and Arabic-Indic (U+0660..) digits to Latin.
_DIGITS = str.maketrans("۰۱۲۳۴۵۶۷۸۹٠١٢٣٤٥٦٧٨٩", "01234567890123456789")
_NUMBER = r"[0-9۰-۹٠-٩]"
# "order 12345", "order no. #A-12345", "سفارش ۱۲۳۴۵", "کد سفارش: ۹۸۷۶۵", "#12345"
_ORDER_AFTER_WORD = re.compile(
    rf"(?:order|ord|invoice|سفارش|فاکتور|پیگیری)\D{{0,20}}?({_NUMBER}{{4,20}})", re.IGNORECASE
)
_HASH_NUMBER = re.compile(rf"#\s?({_NUMBER}{{4,20}})")
_PHONE = re.compile(r"^(?:0?9\d{9}|98\d{10})$")  # an Iranian mobile is not an order number


class BlankMissing(Unprocessable):
    code = "blank_missing"


def tokens(text: str) -> list[str]:
    return _DOUBLE.findall(text)


def without(text: str) -> str:
    """The text with double-brace placeholders removed (for the legacy single-brace check)."""
    return _DOUBLE.sub("", text)


def check(text: str) -> None:
    """Refuse a template naming a placeholder we do not know (422 on `text`)."""
    unknown = sorted({t for t in tokens(text) if t not in FILLED and not BLANK.match(t)})
    if unknown:
        raise Unprocessable(
            "the template uses unknown placeholders",
            details=[
                {
                    "field": "text",
                    "problem": f"unknown {unknown}; allowed: {list(FILLED)} and "
                    "{{blank:name}} (a-z, 0-9, _)",
                }
            ],
        )


def blanks_of(text: str) -> list[str]:
    """The blank names a text asks the agent to fill, in order of appearance."""
    names: list[str] = []
    for token in tokens(text):
        match = BLANK.match(token)
        if match and match.group(1) not in names:
            names.append(match.group(1))
    return names


def order_number(texts: list[str]) -> str | None:
    """The order number a customer wrote (newest message first), in Latin digits."""
    for text in texts:
        for pattern in (_ORDER_AFTER_WORD, _HASH_NUMBER):
            for match in pattern.finditer(text or ""):
                number = match.group(1).translate(_DIGITS)
                if not _PHONE.match(number):
                    return number
    return None


def fill(text: str, values: dict[str, str | None], blanks: dict[str, str] | None) -> str:
    """Render every `{{...}}`; 422 `blank_missing` naming each blank or value left."""
    given = blanks or {}
    missing: list[dict[str, str]] = []

    def value_of(token: str) -> str | None:
        match = BLANK.match(token)
        if match:
            return given.get(match.group(1))
        return given.get(token) or values.get(token)

    for token in dict.fromkeys(tokens(text)):
        if not value_of(token):
            match = BLANK.match(token)
            name = match.group(1) if match else token
            problem = (
                "a blank the agent must fill in"
                if match
                else "no value for this placeholder here; give it in blanks"
            )
            missing.append({"field": f"blanks.{name}", "blank": name, "problem": problem})
    if missing:
        names = ", ".join(m["blank"] for m in missing)
        raise BlankMissing(f"fill in before sending: {names}", details=missing)
    return _DOUBLE.sub(lambda m: str(value_of(m.group(1))), text)


def values_for(
    text: str,
    ticket: dict[str, Any],
    mention: dict[str, Any],
    customer_texts: Callable[[], list[str]],
    *,
    link: str | None,
) -> dict[str, str | None]:
    """What we can fill for this ticket, computed only for the placeholders `text` uses (the
    order number reads the customer's messages, the team name the team item)."""
    from chalicelib.care import templates

    used = set(tokens(text))
    values: dict[str, str | None] = {}
    if "customer.name" in used:
        language = ticket.get("language") or templates.FALLBACK_LANGUAGE
        values["customer.name"] = templates.customer_name(mention.get("author", {}), language)
    if "ticket.number" in used:
        values["ticket.number"] = str(ticket["number"])
    if "order_number" in used:
        values["order_number"] = order_number(customer_texts())
    if "team" in used:
        values["team"] = _team_name(ticket.get("team"))
    if "link" in used:
        values["link"] = link
    return values


def _team_name(team_id: str | None) -> str | None:
    if not team_id:
        return None
    from chalicelib.store import teams as team_store

    return (team_store.get_team(team_id) or {}).get("name") or team_id


def render(
    text: str,
    legacy: dict[str, str | None],
    values: dict[str, str | None],
    blanks: dict[str, str] | None,
) -> str:
    """Render the older `{name}` placeholders between the `{{...}}` ones, then those: a blank's
    value is never itself read as a placeholder. Every problem is named in one 422."""
    from chalicelib.care import templates

    templates.render(without(text), legacy)  # a legacy placeholder we cannot fill
    fill(text, values, blanks)  # every blank left, at once
    parts = _DOUBLE.split(text)  # literal, token, literal, ...
    return "".join(
        templates.render(part, legacy)
        if index % 2 == 0
        else fill(f"{{{{{part}}}}}", values, blanks)
        for index, part in enumerate(parts)
    )
