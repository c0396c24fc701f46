"""Compose a message for a ticket (template or free text) and send it through the platform.

A send that does not come back `ok` raises a 502 whose code says what the caller can do:
`platform_retryable` (try again, maybe after `retry_after`), `platform_rejected` (the platform
will keep refusing; its own message says why) or `platform_outcome_unknown` (it may have been
posted: look before sending again). The ticket is not touched in any of these cases.
"""

from __future__ import annotations

from typing import Any

from chalicelib.care import placeholders, templates
from chalicelib.care.models import MessageRequest
from chalicelib.errors import Unprocessable, UpstreamError
from chalicelib.observability import count_by, logger
from chalicelib.platforms import sending
from chalicelib.platforms.outbound import AsksWithButtons, ReplyTarget, ScoreQuestion, SendResult

_CODES = {
    "retryable": "platform_retryable",
    "permanent": "platform_rejected",
    "unknown": "platform_outcome_unknown",
}


class PlatformSendFailed(UpstreamError):
    def __init__(self, platform: str, result: SendResult) -> None:
        detail: dict[str, Any] = {"platform": platform, "outcome": result.outcome}
        if result.status is not None:
            detail["status"] = result.status
        if result.retry_after is not None:
            detail["retry_after"] = result.retry_after
        super().__init__(
            result.message or f"{platform} did not accept the message ({result.outcome})",
            details=[detail],
        )
        self.code = _CODES.get(result.outcome, "upstream_error")


def compose(
    request: MessageRequest,
    ticket: dict[str, Any],
    mention: dict[str, Any],
    *,
    default_kind: str | None = None,
) -> tuple[str, str | None] | None:
    """The text to send and the template(s) it came from (`a+b` when snippets are combined),
    or None when there is nothing to send."""
    ids = list(dict.fromkeys([*filter(None, [request.template_id]), *(request.template_ids or [])]))
    text = request.text
    if not text and not ids:
        if default_kind is None:
            return None
        ids = [templates.suggest(ticket, mention, default_kind)["id"]]
    if ids:
        text = "\n\n".join(templates.get(template_id)["text"] for template_id in ids)
    assert text is not None  # noqa: S101 - one of the branches above set it
    language = ticket.get("language") or templates.FALLBACK_LANGUAGE
    link = templates.private_link(ticket, request.private_link)
    legacy = {
        "customer_name": templates.customer_name(mention.get("author", {}), language),
        "ticket_number": str(ticket["number"]),
        "private_link": link,
    }
    values = placeholders.values_for(
        text, ticket, mention, lambda: _customer_texts(ticket, mention), link=link
    )
    rendered = placeholders.render(text, legacy, values, request.blanks)
    if len(rendered) > 4000:
        raise Unprocessable(
            "the message is too long once rendered",
            details=[{"field": "text", "problem": "at most 4000 characters"}],
        )
    return rendered, "+".join(ids) or None


def _customer_texts(ticket: dict[str, Any], mention: dict[str, Any]) -> list[str]:
    """What the customer wrote on this ticket, newest first (for `{{order_number}}`)."""
    from chalicelib.store import mentions as mention_store

    author = str((ticket.get("conversation") or {}).get("author", {}).get("id", ""))
    found = mention_store.get_many(ticket.get("mention_ids") or [mention["id"]])
    mine = [m for m in found if str((m.get("author") or {}).get("id", "")) == author] or [mention]
    return [m.get("text") or "" for m in reversed(mine)]


def target_for(mention: dict[str, Any], *, private: bool) -> ReplyTarget:
    """Answer the mention in its own conversation; `private` asks for a DM-like channel."""
    conversation = (
        mention.get("conversation_id") or mention.get("parent_post_id") or mention["platform_id"]
    )
    return ReplyTarget(
        conversation_id=conversation,
        reply_to_id=mention["platform_id"],
        recipient_id=(mention.get("author") or {}).get("id"),
        private=private,
    )


def send(
    mention: dict[str, Any],
    text: str,
    *,
    private: bool,
    template_id: str | None,
    question: ScoreQuestion | None = None,
) -> dict[str, Any]:
    """Send and return the history record of what went out; raise if it did not. A `question`
    goes with its buttons where the client has them, as the plain text elsewhere."""
    platform = mention["platform"]
    client = sending.client_for(platform)
    target = target_for(mention, private=private)
    try:
        if question is not None and isinstance(client, AsksWithButtons):
            result = client.ask_score(target, text, question)
        else:
            result = client.send_reply(target, text)
    except Exception as exc:  # a client bug once the request may have gone out: never a 500
        logger.exception("reply client raised", platform=platform)
        result = SendResult("unknown", message=f"client error: {type(exc).__name__}")
    count_by("RepliesSent", "outcome", result.outcome)
    if not result.ok:
        logger.warning(
            "reply not sent", platform=platform, outcome=result.outcome, status=result.status
        )
        raise PlatformSendFailed(platform, result)
    return {
        "text": text,
        "private": private,
        "template_id": template_id,
        "platform_message_id": result.platform_id,
        "url": result.url,
        "in_reply_to": mention["id"],
    }
