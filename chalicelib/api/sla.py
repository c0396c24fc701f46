"""Service levels: a team's business calendar and targets, its escalation, and how each person
is notified."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from chalice import Blueprint

from chalicelib.http import ModelRef, route
from chalicelib.vocabulary import AGENT_PATTERN, TEAM_PATTERN

if TYPE_CHECKING:
    from chalicelib.care.channels import Contact as ContactModel
    from chalicelib.care.escalation import EscalationRequest as EscalationModel
    from chalicelib.care.sla import Policy as PolicyModel

bp = Blueprint(__name__)
Contact = ModelRef("chalicelib.care.channels", "Contact")
EscalationRequest = ModelRef("chalicelib.care.escalation", "EscalationRequest")
Policy = ModelRef("chalicelib.care.sla", "Policy")
TeamPolicy = ModelRef("chalicelib.care.sla", "TeamPolicy")
TeamEscalation = ModelRef("chalicelib.care.escalation", "TeamEscalation")
AgentContact = ModelRef("chalicelib.care.channels", "AgentContact")

TEAM = {"team_id": TEAM_PATTERN}
AGENT = {"agent": AGENT_PATTERN}


@route(bp, "/teams/{team_id}/sla", role="agent", ids=TEAM, response=TeamPolicy)
def get_sla_policy(team_id: str) -> dict[str, Any]:
    """The team's SLA: business calendar and targets (defaults when none is set)."""
    from chalicelib.care import escalation

    return escalation.get_policy(team_id)


@route(
    bp,
    "/teams/{team_id}/sla",
    methods=("PUT",),
    role="manager",
    ids=TEAM,
    body=Policy,
    response=TeamPolicy,
)
def put_sla_policy(team_id: str, body: PolicyModel) -> dict[str, Any]:
    """Set the team's business calendar and targets, for all priorities or per priority."""
    from chalicelib.care import escalation

    return escalation.set_policy(team_id, body)


@route(bp, "/teams/{team_id}/escalation", role="agent", ids=TEAM, response=TeamEscalation)
def get_escalation(team_id: str) -> dict[str, Any]:
    """Who manages the team and the team's own notification channel."""
    from chalicelib.care import escalation

    return escalation.get_escalation(team_id)


@route(
    bp,
    "/teams/{team_id}/escalation",
    methods=("PUT",),
    role="manager",
    ids=TEAM,
    body=EscalationRequest,
    response=TeamEscalation,
)
def put_escalation(team_id: str, body: EscalationModel) -> dict[str, Any]:
    """Set the team's manager (escalations go to them) and the team channel."""
    from chalicelib.care import escalation

    return escalation.set_escalation(team_id, body)


@route(bp, "/contacts/{agent}", role="agent", ids=AGENT, response=AgentContact)
def get_contact(agent: str) -> dict[str, Any]:
    """How a person is notified: Telegram chat, Slack webhook, e-mail."""
    from chalicelib.care import escalation

    return escalation.get_contact(agent)


@route(
    bp,
    "/contacts/{agent}",
    methods=("PUT",),
    role="manager",
    ids=AGENT,
    body=Contact,
    response=AgentContact,
)
def put_contact(agent: str, body: ContactModel) -> dict[str, Any]:
    """Set how a person is notified."""
    from chalicelib.care import escalation

    return escalation.set_contact(agent, body)
