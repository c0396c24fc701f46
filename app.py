"""carecycle's Chalice app: routes and event handlers only, each a few lines.

Every handler parses its input, calls one function in `chalicelib`, and returns. Nothing runs at
import time beyond registering routes: settings, secrets and AWS clients are created lazily.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Any, Literal

from chalice import Chalice, Response
from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator

from chalicelib import definitions
from chalicelib.api import classifier as classifier_api
from chalicelib.http import (
    LazyModels,
    ModelRef,
    created,
    json_body,
    parse_body,
    parse_optional_body,
    parse_query,
    route,
)
from chalicelib.ingest import webhooks

app = Chalice(app_name=definitions.APP_NAME)
app.register_blueprint(classifier_api.bp)

# Request/response models of the care routes, imported on first use (lean cold start).
care = LazyModels("chalicelib.care.models")
Contact = ModelRef("chalicelib.care.channels", "Contact")
EscalationRequest = ModelRef("chalicelib.care.escalation", "EscalationRequest")
Policy = ModelRef("chalicelib.care.sla", "Policy")

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


@route(app, "/mentions", role="agent", query=MentionQuery)
def list_mentions() -> dict[str, Any]:
    from chalicelib.store.mentions import MentionFilter
    from chalicelib.store.mentions import list_mentions as query

    params = parse_query(app, MentionQuery)
    filters = MentionFilter(**params.model_dump(exclude={"limit", "cursor"}))
    items, cursor = query(limit=params.limit, cursor=params.cursor, filters=filters)
    return {"items": items, "next_cursor": cursor}


@route(app, "/quarantine", role="admin", query=PageQuery)
def list_quarantine() -> dict[str, Any]:
    from chalicelib.store.quarantine import list_quarantine as query

    params = parse_query(app, PageQuery)
    items, cursor = query(limit=params.limit, cursor=params.cursor)
    return {"items": items, "next_cursor": cursor}


# --- Care: tickets, teams, templates, tokens, OpenAPI (issue 5) ------------------------------
# Ticket actions answer {"ticket", "sent"}; a failed platform send is 502 with a code
# (platform_retryable | platform_rejected | platform_outcome_unknown), an illegal transition or
# a lost race 409 with the current state.

_ACTION_ERRORS = (404, 409, 422, 502, 503)


@route(app, "/openapi.json")
def openapi_document() -> dict[str, Any]:
    """The OpenAPI 3.1 document of this API, generated from the code."""
    from chalicelib.openapi import document

    return document(app)


@route(app, "/tickets", role="agent", query=care.InboxQuery, response=care.TicketPage)
def list_tickets() -> dict[str, Any]:
    """The inbox: filtered, next deadline first, cursor-paginated."""
    from chalicelib.care import tickets

    items, cursor = tickets.inbox(parse_query(app, care.InboxQuery))
    return {"items": items, "next_cursor": cursor}


@route(
    app,
    "/tickets",
    methods=("POST",),
    role="agent",
    body=care.OpenTicketRequest,
    response=care.Ticket,
    status=201,
    errors=(404,),
)
def open_ticket() -> Any:
    """Open a ticket from a mention (or return the conversation's open ticket, 200)."""
    from chalicelib.care import tickets

    request = parse_body(app, care.OpenTicketRequest)
    ticket, opened = tickets.open_by_hand(request.mention_id, request.priority)
    return created(ticket) if opened else ticket


@route(app, "/tickets/{ticket_id}", role="agent", response=care.TicketDetail, errors=(404,))
def get_ticket(ticket_id: str) -> dict[str, Any]:
    """A ticket with its mentions, conversation, history and suggested template."""
    from chalicelib.care import tickets

    return tickets.detail(ticket_id)


def _ticket_action(name: str, model: type[Any], *, optional: bool) -> None:
    """Register POST /tickets/{ticket_id}/<name> calling `care.tickets.<name>`."""

    def view(ticket_id: str) -> dict[str, Any]:
        from chalicelib.care import tickets

        parse = parse_optional_body if optional else parse_body
        return getattr(tickets, name)(ticket_id, parse(app, model))

    view.__name__ = f"ticket_{name}"
    view.__doc__ = f"{name.capitalize()} a ticket."
    route(
        app,
        f"/tickets/{{ticket_id}}/{name}",
        methods=("POST",),
        role="agent",
        body=model,
        response=care.TicketAction,
        errors=_ACTION_ERRORS,
    )(view)


for _name, _model, _optional in (
    ("acknowledge", care.AcknowledgeRequest, True),
    ("assign", care.AssignRequest, True),
    ("route", care.RouteRequest, False),
    ("reply", care.ReplyRequest, False),
    ("resolve", care.ResolveRequest, True),
    ("reopen", care.NoteRequest, True),
    ("pause", care.NoteRequest, True),
    ("resume", care.NoteRequest, True),
):
    _ticket_action(_name, _model, optional=_optional)


@route(app, "/teams", role="agent", query=care.PageQuery, response=care.TeamPage)
def list_teams() -> dict[str, Any]:
    """Teams with members, on-duty flags and routing rules."""
    from chalicelib.care import routing

    params = parse_query(app, care.PageQuery)
    items, cursor = routing.list_teams(limit=params.limit, cursor=params.cursor)
    return {"items": items, "next_cursor": cursor}


@route(app, "/teams/{team_id}", role="agent", response=care.Team, errors=(404,))
def get_team(team_id: str) -> dict[str, Any]:
    """One team."""
    from chalicelib.care import routing

    return routing.get_team(team_id)


@route(
    app,
    "/teams/{team_id}",
    methods=("PUT",),
    role="manager",
    body=care.TeamRequest,
    response=care.Team,
)
def put_team(team_id: str) -> dict[str, Any]:
    """Create or replace a team (members, on-duty flags, routing terms and categories)."""
    from chalicelib.care import routing
    from chalicelib.errors import NotFound

    if not re.match(care.TEAM_PATTERN, team_id):
        raise NotFound(f"'{team_id}' is not a valid team id (lowercase letters, digits, - and _)")
    return routing.save_team(team_id, parse_body(app, care.TeamRequest).model_dump())


@route(app, "/teams/{team_id}", methods=("DELETE",), role="manager", errors=(404,))
def delete_team(team_id: str) -> dict[str, Any]:
    """Delete a team (its tickets keep their team name)."""
    from chalicelib.care import routing

    routing.delete_team(team_id)
    return {"deleted": team_id}


@route(
    app,
    "/teams/{team_id}/members/{agent}/duty",
    methods=("PUT",),
    role="manager",
    body=care.DutyRequest,
    response=care.Team,
    errors=(404,),
)
def set_duty(team_id: str, agent: str) -> dict[str, Any]:
    """Put a member on or off duty."""
    from chalicelib.care import routing

    return routing.set_duty(team_id, agent, parse_body(app, care.DutyRequest).on_duty)


@route(app, "/templates", role="agent", query=care.TemplateQuery, response=care.TemplatePage)
def list_templates() -> dict[str, Any]:
    """Reply templates by kind and language (the default set is seeded on first use)."""
    from chalicelib.care import templates
    from chalicelib.store.templates import list_templates as query

    params = parse_query(app, care.TemplateQuery)
    templates.ensure_seeded()
    items, cursor = query(
        kind=params.kind, language=params.language, limit=params.limit, cursor=params.cursor
    )
    return {"items": items, "next_cursor": cursor}


@route(app, "/templates/{template_id}", role="agent", response=care.Template, errors=(404,))
def get_template(template_id: str) -> dict[str, Any]:
    """One template."""
    from chalicelib.care import templates

    return templates.get(template_id)


@route(
    app,
    "/templates/{template_id}",
    methods=("PUT",),
    role="manager",
    body=care.TemplateRequest,
    response=care.Template,
)
def put_template(template_id: str) -> dict[str, Any]:
    """Create or replace a template; placeholders {customer_name} {ticket_number} {private_link}."""
    from chalicelib.care import templates
    from chalicelib.errors import NotFound

    if not re.match(care.TEMPLATE_ID_PATTERN, template_id):
        raise NotFound(f"'{template_id}' is not a valid template id")
    return templates.save(template_id, parse_body(app, care.TemplateRequest).model_dump())


@route(app, "/templates/{template_id}", methods=("DELETE",), role="manager", errors=(404,))
def delete_template(template_id: str) -> dict[str, Any]:
    """Delete a template."""
    from chalicelib.care import templates
    from chalicelib.store.templates import delete_template as remove

    templates.ensure_seeded()  # else a later first seed would bring a deleted default back
    remove(template_id)
    return {"deleted": template_id}


@route(app, "/tokens", role="admin", query=care.PageQuery, response=care.TokenPage)
def list_tokens() -> dict[str, Any]:
    """API tokens (never their secrets)."""
    from chalicelib.auth import public_token
    from chalicelib.store.tokens import list_tokens as query

    params = parse_query(app, care.PageQuery)
    items, cursor = query(limit=params.limit, cursor=params.cursor)
    return {"items": [public_token(i) for i in items], "next_cursor": cursor}


@route(
    app,
    "/tokens",
    methods=("POST",),
    role="admin",
    body=care.CreateTokenRequest,
    response=care.CreatedToken,
    status=201,
)
def create_token() -> Any:
    """Create a token; the secret is in this response only."""
    from chalicelib.auth import issue_token, public_token

    request = parse_body(app, care.CreateTokenRequest)
    secret, record = issue_token(
        name=request.name, role=request.role, expires_at=request.expires_at
    )
    return created({**public_token(record), "token": secret})


@route(
    app,
    "/tokens/{token_id}",
    methods=("DELETE",),
    role="admin",
    response=care.TokenInfo,
    errors=(404,),
)
def revoke_token(token_id: str) -> dict[str, Any]:
    """Revoke a token: it fails authentication from the next request on."""
    from chalicelib.auth import public_token
    from chalicelib.store.tokens import revoke

    return public_token(revoke(token_id))


@app.on_sqs_message(queue=definitions.INGEST_QUEUE.name, batch_size=10)
def ingest(event: Any) -> dict[str, Any]:
    from chalicelib.ingest.consumer import handle_batch
    from chalicelib.observability import flush

    try:
        return handle_batch(event.to_dict(), event.context)
    finally:
        flush()


# -- Planning and publishing: posts, calendar and cadence, the publish sweep, tracked links -------


def _link_base() -> str:
    """Where short links point: CARE_LINK_BASE_URL, else this API's own host."""
    from chalicelib.settings import get_settings

    configured = get_settings().link_base_url
    if configured:
        return configured
    headers = app.current_request.headers
    host = headers.get("host", "")
    if not host:
        return ""
    local = host.startswith(("127.0.0.1", "localhost"))
    return f"{headers.get('x-forwarded-proto') or ('http' if local else 'https')}://{host}"


def _principal() -> Any:
    from chalicelib.auth import current_principal

    return current_principal()


@route(app, "/posts", methods=("POST",), role="agent")
def create_post() -> Response:
    from chalicelib.publishing import posts
    from chalicelib.publishing.models import PostIn

    post = posts.create(parse_body(app, PostIn), _principal())
    return Response(body=post, status_code=201, headers={"Content-Type": "application/json"})


@route(app, "/posts", role="agent")
def list_posts() -> dict[str, Any]:
    from chalicelib.publishing import posts
    from chalicelib.publishing.models import PostQuery

    query = parse_query(app, PostQuery)
    items, cursor = posts.list_posts(**query.model_dump())
    return {"items": items, "next_cursor": cursor}


@route(app, "/posts/{post_id}", role="agent")
def get_post(post_id: str) -> dict[str, Any]:
    from chalicelib.publishing import posts

    return posts.get(post_id)


@route(app, "/posts/{post_id}", methods=("PATCH",), role="agent")
def update_post(post_id: str) -> dict[str, Any]:
    from chalicelib.publishing import posts
    from chalicelib.publishing.models import PostPatch

    return posts.update(post_id, parse_body(app, PostPatch), _principal())


@route(app, "/posts/{post_id}", methods=("DELETE",), role="agent")
def delete_post(post_id: str) -> Response:
    from chalicelib.publishing import posts

    posts.delete(post_id)
    return Response(body="", status_code=204)


@route(app, "/posts/{post_id}/schedule", methods=("POST",), role="agent")
def schedule_post(post_id: str) -> dict[str, Any]:
    from chalicelib.publishing import posts
    from chalicelib.publishing.models import ScheduleIn

    body = (
        ScheduleIn.model_validate(json_body(app)) if app.current_request.raw_body else ScheduleIn()
    )
    return posts.schedule(post_id, body, _principal(), base_url=_link_base())


@route(app, "/posts/{post_id}/approve", methods=("POST",), role="manager")
def approve_post(post_id: str) -> dict[str, Any]:
    from chalicelib.publishing import posts

    return posts.approve(post_id, _principal())


@route(app, "/posts/{post_id}/cancel", methods=("POST",), role="agent")
def cancel_post(post_id: str) -> dict[str, Any]:
    from chalicelib.publishing import posts

    return posts.cancel(post_id, _principal())


@route(app, "/calendar", role="agent")
def get_calendar() -> dict[str, Any]:
    from chalicelib.publishing import cadence, times
    from chalicelib.publishing.models import CalendarQuery

    query = parse_query(app, CalendarQuery)
    start = times.parse_time(query.from_, query.tz, field="from")
    end = times.parse_time(query.to, query.tz, field="to")
    return cadence.calendar(start, end, query.tz, query.network)


@route(app, "/calendar", methods=("PUT",), role="manager")
def put_cadence() -> dict[str, Any]:
    from chalicelib.publishing import cadence
    from chalicelib.publishing.models import CadenceIn

    return cadence.save_rule(parse_body(app, CadenceIn).model_dump(mode="json"))


@route(app, "/calendar/next-slot", role="agent")
def next_slot() -> dict[str, Any]:
    from chalicelib.models import utcnow
    from chalicelib.publishing import cadence, times
    from chalicelib.publishing.models import NextSlotQuery

    query = parse_query(app, NextSlotQuery)
    now = utcnow()
    after = times.parse_time(query.after, query.tz, field="after") if query.after else now
    return cadence.next_slot(
        query.network, query.account_id, max(after, now), prefer_best=query.prefer == "best_times"
    )


@route(app, "/links", methods=("POST",), role="agent")
def create_link() -> Response:
    from chalicelib.publishing import links
    from chalicelib.publishing.models import LinkIn

    body = parse_body(app, LinkIn)
    principal = _principal()
    link = links.create(
        target=body.target,
        utm=body.utm.model_dump(exclude_none=True) if body.utm else None,
        code=body.code,
        created_by=principal.token_id if principal else None,
        base_url=_link_base(),
    )
    return Response(body=link, status_code=201, headers={"Content-Type": "application/json"})


@route(app, "/links", role="agent")
def list_links() -> dict[str, Any]:
    from chalicelib.publishing import links

    params = parse_query(app, PageQuery)
    items, cursor = links.list_links(
        limit=params.limit, cursor=params.cursor, base_url=_link_base()
    )
    return {"items": items, "next_cursor": cursor}


@route(app, "/links/{code}", role="agent")
def get_link(code: str) -> dict[str, Any]:
    from chalicelib.publishing import links

    return links.get(code, base_url=_link_base())


@route(app, "/l/{code}")
def follow_link(code: str) -> Response:
    from chalicelib.publishing import links

    target = links.follow(code)
    return Response(
        body="", status_code=302, headers={"Location": target, "Cache-Control": "no-store"}
    )


@app.schedule("rate(1 minute)", name="publish_sweep")
def publish_sweep(event: Any) -> dict[str, Any]:  # noqa: ARG001 (the clock is the input)
    from chalicelib.observability import flush
    from chalicelib.publishing import sweep

    try:
        return sweep.run().as_dict()
    finally:
        flush()


# --- SLA: policies, escalation, contacts, notifications (issue 6) ------------------------------


@app.on_sqs_message(queue=definitions.NOTIFY_QUEUE.name, batch_size=10)
def notify(event: Any) -> dict[str, Any]:
    from chalicelib.care.notify import handle_batch
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


@route(app, "/teams/{team_id}/sla", role="agent", response=Policy, errors=(404,))
def get_sla_policy(team_id: str) -> dict[str, Any]:
    """The team's SLA: business calendar and targets (defaults when none is set)."""
    from chalicelib.care import escalation

    return escalation.get_policy(team_id)


@route(
    app,
    "/teams/{team_id}/sla",
    methods=("PUT",),
    role="manager",
    body=Policy,
    response=Policy,
    errors=(404,),
)
def put_sla_policy(team_id: str) -> dict[str, Any]:
    """Set the team's business calendar and targets, for all priorities or per priority."""
    from chalicelib.care import escalation

    return escalation.set_policy(team_id, parse_body(app, Policy))


@route(app, "/teams/{team_id}/escalation", role="agent", response=EscalationRequest)
def get_escalation(team_id: str) -> dict[str, Any]:
    """Who manages the team and the team's own notification channel."""
    from chalicelib.care import escalation

    return escalation.get_escalation(team_id)


@route(
    app,
    "/teams/{team_id}/escalation",
    methods=("PUT",),
    role="manager",
    body=EscalationRequest,
    response=EscalationRequest,
    errors=(404,),
)
def put_escalation(team_id: str) -> dict[str, Any]:
    """Set the team's manager (escalations go to them) and the team channel."""
    from chalicelib.care import escalation

    return escalation.set_escalation(team_id, parse_body(app, EscalationRequest))


@route(app, "/contacts/{agent}", role="agent", response=Contact, errors=(404,))
def get_contact(agent: str) -> dict[str, Any]:
    """How a person is notified: Telegram chat, Slack webhook, e-mail."""
    from chalicelib.care import escalation

    return escalation.get_contact(agent)


@route(app, "/contacts/{agent}", methods=("PUT",), role="manager", body=Contact, response=Contact)
def put_contact(agent: str) -> dict[str, Any]:
    """Set how a person is notified."""
    from chalicelib.care import escalation

    return escalation.set_contact(agent, parse_body(app, Contact))


# --- Measure: engagement pull, observations, best times, reports (issue 8) ---------------------


class ReportQuery(BaseModel):
    model_config = ConfigDict(populate_by_name=True, extra="forbid")

    from_: date | None = Field(default=None, alias="from")
    to: date | None = None
    format: Literal["json", "csv"] = "json"


class BestTimesQuery(BaseModel):
    model_config = ConfigDict(extra="forbid")

    network: Literal["telegram", "x", "instagram", "facebook", "linkedin"]


def _report(kind: str) -> Any:
    from chalicelib.measure import reports

    query = parse_query(app, ReportQuery)
    report = getattr(reports, kind)(query.from_, query.to)
    if query.format == "csv":
        return Response(
            body=reports.to_csv(reports.ROWS[kind](report)),
            status_code=200,
            headers={
                "Content-Type": "text/csv; charset=utf-8",
                "Content-Disposition": f'attachment; filename="{kind}-{report["from"]}'
                f'-{report["to"]}.csv"',
            },
        )
    return report


@route(app, "/reports/care", role="manager", query=ReportQuery)
def care_report() -> Any:
    """Care: response and resolution times, SLA outcomes, by team/agent/network/priority/week."""
    return _report("care")


@route(app, "/reports/listening", role="manager", query=ReportQuery)
def listening_report() -> Any:
    """Listening: mentions by category/rule, sentiment trend, share of voice, terms, questions."""
    return _report("listening")


@route(app, "/reports/engagement", role="manager", query=ReportQuery)
def engagement_report() -> Any:
    """Engagement: per post and network engagement rate, clicks, followers, week over week."""
    return _report("engagement")


@route(app, "/insights/best-times", role="agent", query=BestTimesQuery)
def best_times() -> dict[str, Any]:
    """Weekday × hour grid of expected engagement rate in the brand's zone, with top slots."""
    from chalicelib.measure.besttimes import best_times as estimate

    return estimate(parse_query(app, BestTimesQuery).network)


@route(
    app,
    "/insights/observations",
    methods=("POST",),
    role="manager",
    content_types=["application/json", "text/csv"],
    status=201,
    errors=(413, 422),
)
def add_observations() -> Response:
    """Add competitors' public posts with their engagement (a JSON list, or a CSV upload)."""
    from chalicelib.measure.observations import upload

    request = app.current_request
    result = upload(request.raw_body or b"", request.headers.get("content-type", ""))
    return created(result)


@app.schedule("rate(1 hour)", name="metrics_pull")
def metrics_pull(event: Any) -> dict[str, Any]:  # noqa: ARG001 (the clock is the input)
    from chalicelib.measure.engagement import pull
    from chalicelib.observability import flush

    try:
        return pull().as_dict()
    finally:
        flush()
