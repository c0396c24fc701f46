"""carecycle's Chalice app: routes and event handlers only, each a few lines.

Every handler parses its input, calls one function in `chalicelib`, and returns. Nothing runs at
import time beyond registering routes: settings, secrets and AWS clients are created lazily.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from chalice import Chalice, Response
from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator

from chalicelib import definitions
from chalicelib.http import parse_body, parse_query, route
from chalicelib.ingest import webhooks

app = Chalice(app_name=definitions.APP_NAME)

WEBHOOK_CONTENT_TYPES = ["application/json", "text/plain", "application/octet-stream"]


class PageQuery(BaseModel):
    limit: int = Field(default=20, ge=1, le=100)
    cursor: str | None = Field(default=None, max_length=2048)


class MentionQuery(PageQuery):
    model_config = ConfigDict(populate_by_name=True)

    platform: str | None = Field(default=None, pattern=r"^[a-z][a-z0-9_-]{0,31}$")
    category: Literal["brand", "industry", "competitor", "influencer", "figure"] | None = None
    rule: str | None = Field(default=None, pattern=r"^[A-Za-z0-9_-]{1,64}$")
    sentiment: Literal["negative", "neutral", "positive"] | None = None
    intent: Literal["complaint", "question", "praise", "other"] | None = None
    language: Literal["fa", "en", "ar", "fa-Latn", "other"] | None = None
    since: datetime | None = Field(default=None, alias="from")
    until: datetime | None = Field(default=None, alias="to")
    text: str | None = Field(default=None, min_length=1, max_length=200)

    @field_validator("until")
    @classmethod
    def _range(cls, until: datetime | None, info: ValidationInfo) -> datetime | None:
        since = info.data.get("since")
        if until is not None and since is not None and until < since:
            raise ValueError("'to' must not be before 'from'")
        return until


@route(app, "/health")
def health() -> dict[str, str]:
    return {"status": "ok"}


@route(app, "/webhooks/{platform}", methods=("POST",), content_types=WEBHOOK_CONTENT_TYPES)
def receive_webhook(platform: str) -> dict[str, Any]:
    request = app.current_request
    accepted = webhooks.accept(platform, request.headers, request.raw_body or b"")
    return {"ok": True, "event_id": accepted.event_id}


@route(app, "/webhooks/{platform}")
def webhook_handshake(platform: str) -> Response:
    answer = webhooks.handshake(platform, app.current_request.query_params or {})
    return Response(
        body=answer.body, status_code=answer.status, headers={"Content-Type": answer.content_type}
    )


@route(app, "/mentions", role="agent")
def list_mentions() -> dict[str, Any]:
    from chalicelib.store.mentions import MentionFilter
    from chalicelib.store.mentions import list_mentions as query

    params = parse_query(app, MentionQuery)
    filters = MentionFilter(**params.model_dump(exclude={"limit", "cursor"}))
    items, cursor = query(limit=params.limit, cursor=params.cursor, filters=filters)
    return {"items": items, "next_cursor": cursor}


@route(app, "/quarantine", role="admin")
def list_quarantine() -> dict[str, Any]:
    from chalicelib.store.quarantine import list_quarantine as query

    params = parse_query(app, PageQuery)
    items, cursor = query(limit=params.limit, cursor=params.cursor)
    return {"items": items, "next_cursor": cursor}


@app.on_sqs_message(queue=definitions.INGEST_QUEUE.name, batch_size=10)
def ingest(event: Any) -> dict[str, Any]:
    from chalicelib.ingest.consumer import handle_batch
    from chalicelib.observability import flush

    try:
        return handle_batch(event.to_dict(), event.context)
    finally:
        flush()


# --- Listening: watch rules (issue 4) ---------------------------------------------------------


class WatchRuleListQuery(PageQuery):
    category: Literal["brand", "industry", "competitor", "influencer", "figure"] | None = None


RULE_ID = r"^[A-Za-z0-9_-]{1,64}$"


def _rule_id(rule_id: str) -> str:
    import re

    from chalicelib.errors import NotFound

    if not re.match(RULE_ID, rule_id):
        raise NotFound(f"no watch rule with id '{rule_id}'")
    return rule_id


@route(app, "/watch-rules", role="agent")
def list_watch_rules() -> dict[str, Any]:
    from chalicelib.store import watch_rules

    params = parse_query(app, WatchRuleListQuery)
    items, cursor = watch_rules.list_rules(
        limit=params.limit, cursor=params.cursor, category=params.category
    )
    return {"items": items, "next_cursor": cursor}


@route(app, "/watch-rules/{rule_id}", role="agent")
def get_watch_rule(rule_id: str) -> dict[str, Any]:
    from chalicelib.store import watch_rules

    return watch_rules.get_rule(_rule_id(rule_id))


@route(app, "/watch-rules", methods=("POST",), role="manager")
def create_watch_rule() -> Response:
    from chalicelib.listening.rules import RuleInput
    from chalicelib.store import watch_rules

    rule = watch_rules.create(parse_body(app, RuleInput))
    return Response(body=rule, status_code=201, headers={"Content-Type": "application/json"})


@route(app, "/watch-rules/{rule_id}", methods=("PUT",), role="manager")
def replace_watch_rule(rule_id: str) -> dict[str, Any]:
    from chalicelib.listening.rules import RuleInput
    from chalicelib.store import watch_rules

    return watch_rules.replace(_rule_id(rule_id), parse_body(app, RuleInput))


@route(app, "/watch-rules/{rule_id}", methods=("PATCH",), role="manager")
def patch_watch_rule(rule_id: str) -> dict[str, Any]:
    from chalicelib.listening.rules import RulePatch
    from chalicelib.store import watch_rules

    return watch_rules.patch(_rule_id(rule_id), parse_body(app, RulePatch))


@route(app, "/watch-rules/{rule_id}", methods=("DELETE",), role="manager")
def delete_watch_rule(rule_id: str) -> Response:
    from chalicelib.store import watch_rules

    watch_rules.delete(_rule_id(rule_id))
    return Response(body="", status_code=204)
