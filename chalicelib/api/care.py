"""Customer care: the ticket inbox and its actions, teams, reply templates and API tokens.

Ticket actions answer `{"ticket", "sent"}`; a failed platform send is a 502 with a code
(platform_retryable | platform_rejected | platform_outcome_unknown), an illegal transition or a
lost race a 409 with the current state.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from chalice import Blueprint

from chalicelib.api import idempotent
from chalicelib.http import Answer, LazyModels, ModelRef, answer, route
from chalicelib.vocabulary import (
    AGENT_PATTERN,
    TEAM_PATTERN,
    TEMPLATE_ID_PATTERN,
    TICKET_ID_PATTERN,
    TOKEN_ID_PATTERN,
)

if TYPE_CHECKING:
    from chalicelib.care.models import (
        CreateTokenRequest,
        DutyRequest,
        InboxQuery,
        OpenTicketRequest,
        TeamRequest,
        TemplateQuery,
        TemplateRequest,
    )
    from chalicelib.shapes import PageQuery

bp = Blueprint(__name__)
care = LazyModels("chalicelib.care.models")
PageQueryModel = ModelRef("chalicelib.shapes", "PageQuery")

TICKET = {"ticket_id": TICKET_ID_PATTERN}
TEAM = {"team_id": TEAM_PATTERN}
TEMPLATE = {"template_id": TEMPLATE_ID_PATTERN}
_ACTION_ERRORS = (409, 502, 503)


@route(bp, "/tickets", role="agent", query=care.InboxQuery, response=care.TicketPage)
def list_tickets(query: InboxQuery) -> dict[str, Any]:
    """The inbox: filtered, next deadline first, cursor-paginated."""
    from chalicelib.care import tickets

    items, cursor = tickets.inbox(query)
    return {"items": items, "next_cursor": cursor}


@route(
    bp,
    "/tickets",
    methods=("POST",),
    role="agent",
    body=care.OpenTicketRequest,
    response=care.Ticket,
    status=201,
    also=(200,),
    errors=(404,),
)
def open_ticket(body: OpenTicketRequest) -> dict[str, Any] | Answer:
    """Open a ticket from a mention (or return the conversation's open ticket, 200)."""
    from chalicelib.care import tickets

    ticket, opened = tickets.open_by_hand(body.mention_id, body.priority)
    return ticket if opened else answer(ticket, 200)


@route(bp, "/tickets/{ticket_id}", role="agent", ids=TICKET, response=care.TicketDetail)
def get_ticket(ticket_id: str) -> dict[str, Any]:
    """A ticket with its mentions, conversation, history and suggested template."""
    from chalicelib.care import tickets

    return tickets.detail(ticket_id)


def _ticket_action(name: str, model: ModelRef, *, optional: bool) -> None:
    """Register POST /tickets/{ticket_id}/<name> calling `care.tickets.<name>`."""

    def view(ticket_id: str, body: Any) -> Any:
        from chalicelib.care import tickets

        act = getattr(tickets, name)
        # issue 13: a retry with the same Idempotency-Key answers the first outcome
        return idempotent.answer(bp, f"{name}:{ticket_id}", lambda: act(ticket_id, body))

    view.__name__ = f"ticket_{name}"
    view.__doc__ = f"{name.capitalize()} a ticket."
    route(
        bp,
        idempotent.mark(f"/tickets/{{ticket_id}}/{name}"),
        methods=("POST",),
        role="agent",
        ids=TICKET,
        body=model,
        optional_body=optional,
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


@route(bp, "/teams", role="agent", query=PageQueryModel, response=care.TeamPage)
def list_teams(query: PageQuery) -> dict[str, Any]:
    """Teams with members, on-duty flags and routing rules."""
    from chalicelib.care import routing

    items, cursor = routing.list_teams(limit=query.limit, cursor=query.cursor)
    return {"items": items, "next_cursor": cursor}


@route(bp, "/teams/{team_id}", role="agent", ids=TEAM, response=care.Team)
def get_team(team_id: str) -> dict[str, Any]:
    """One team."""
    from chalicelib.care import routing

    return routing.get_team(team_id)


@route(
    bp,
    "/teams/{team_id}",
    methods=("PUT",),
    role="manager",
    ids=TEAM,
    body=care.TeamRequest,
    response=care.Team,
)
def put_team(team_id: str, body: TeamRequest) -> dict[str, Any]:
    """Create or replace a team (members, on-duty flags, routing terms and categories)."""
    from chalicelib.care import routing

    return routing.save_team(team_id, body.model_dump())


@route(bp, "/teams/{team_id}", methods=("DELETE",), role="manager", ids=TEAM)
def delete_team(team_id: str) -> None:
    """Delete a team (its tickets keep their team name)."""
    from chalicelib.care import routing

    routing.delete_team(team_id)


@route(
    bp,
    "/teams/{team_id}/members/{agent}/duty",
    methods=("PUT",),
    role="manager",
    ids={**TEAM, "agent": AGENT_PATTERN},
    body=care.DutyRequest,
    response=care.Team,
)
def set_duty(team_id: str, agent: str, body: DutyRequest) -> dict[str, Any]:
    """Put a member on or off duty."""
    from chalicelib.care import routing

    return routing.set_duty(team_id, agent, body.on_duty)


@route(bp, "/templates", role="agent", query=care.TemplateQuery, response=care.TemplatePage)
def list_templates(query: TemplateQuery) -> dict[str, Any]:
    """Reply templates by kind and language (the default set is seeded on first use)."""
    from chalicelib.care import templates

    items, cursor = templates.listing(
        kind=query.kind,
        language=query.language,
        limit=query.limit,
        cursor=query.cursor,
        category=query.category,
        shortcut=query.shortcut,
    )
    return {"items": items, "next_cursor": cursor}


@route(bp, "/templates/{template_id}", role="agent", ids=TEMPLATE, response=care.Template)
def get_template(template_id: str) -> dict[str, Any]:
    """One template."""
    from chalicelib.care import templates

    return templates.get(template_id)


@route(
    bp,
    "/templates/{template_id}",
    methods=("PUT",),
    role="manager",
    ids=TEMPLATE,
    body=care.TemplateRequest,
    response=care.Template,
)
def put_template(template_id: str, body: TemplateRequest) -> dict[str, Any]:
    """Create or replace a template: {{customer.name}} {{ticket.number}} {{order_number}}
    {{team}} {{link}} and blanks {{blank:name}} (older {customer_name} style still works)."""
    from chalicelib.care import templates

    return templates.save(template_id, body.model_dump())


@route(bp, "/templates/{template_id}", methods=("DELETE",), role="manager", ids=TEMPLATE)
def delete_template(template_id: str) -> None:
    """Delete a template."""
    from chalicelib.care import templates

    templates.delete(template_id)


@route(bp, "/tokens", role="admin", query=PageQueryModel, response=care.TokenPage)
def list_tokens(query: PageQuery) -> dict[str, Any]:
    """API tokens (never their secrets)."""
    from chalicelib.auth import list_tokens

    items, cursor = list_tokens(limit=query.limit, cursor=query.cursor)
    return {"items": items, "next_cursor": cursor}


@route(
    bp,
    "/tokens",
    methods=("POST",),
    role="admin",
    body=care.CreateTokenRequest,
    response=care.CreatedToken,
    status=201,
)
def create_token(body: CreateTokenRequest) -> dict[str, Any]:
    """Create a token; the secret is in this response only."""
    from chalicelib.auth import issue_token, public_token

    secret, record = issue_token(name=body.name, role=body.role, expires_at=body.expires_at)
    return {**public_token(record), "token": secret}


@route(
    bp,
    "/tokens/{token_id}",
    methods=("DELETE",),
    role="admin",
    ids={"token_id": TOKEN_ID_PATTERN},
)
def revoke_token(token_id: str) -> None:
    """Revoke a token: it fails authentication from the next request on."""
    from chalicelib.auth import revoke_token as revoke

    revoke(token_id)
