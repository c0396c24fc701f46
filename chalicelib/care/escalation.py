"""Settings of the SLA and its escalations: a team's SLA policy, who manages a team and where
its notifications go, and how to reach each person.

The notifier (`notify.py`) reads these: "at risk" goes to the assignee, a first-reply breach to
the social team's manager, a resolution breach to the owning team's and the social team's.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from chalicelib.care import routing
from chalicelib.care.channels import Contact
from chalicelib.care.sla import Policy
from chalicelib.errors import NotFound
from chalicelib.store import notifications as contact_store
from chalicelib.store import sla_policies as policy_store
from chalicelib.vocabulary import AGENT_PATTERN


class EscalationRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    manager: str | None = Field(default=None, pattern=AGENT_PATTERN)
    contact: Contact = Field(default_factory=Contact, description="the team's own channel")


class TeamEscalation(EscalationRequest):
    model_config = ConfigDict(extra="allow")

    team: str


def set_policy(team: str, policy: Policy) -> dict[str, Any]:
    routing.get_team(team)  # 404 for a team that does not exist
    return policy_store.put(team, policy.model_dump(mode="json", exclude_none=True))


def get_policy(team: str) -> dict[str, Any]:
    routing.get_team(team)
    return policy_store.find(team) or {"team": team, **Policy().model_dump(mode="json")}


def set_escalation(team: str, request: EscalationRequest) -> dict[str, Any]:
    routing.get_team(team)
    contact = request.contact.model_dump(exclude_none=True)
    return contact_store.put_escalation(team, request.manager, contact)


def get_escalation(team: str) -> dict[str, Any]:
    routing.get_team(team)
    record = contact_store.get_escalation(team) or {}
    return {"team": team, "manager": record.get("manager"), "contact": record.get("contact") or {}}


def set_contact(agent: str, contact: Contact) -> dict[str, Any]:
    return contact_store.put_contact(agent, contact.model_dump(exclude_none=True))


def get_contact(agent: str) -> dict[str, Any]:
    record = contact_store.get_contact(agent)
    if record is None:
        raise NotFound(f"no contact for '{agent}'")
    return {"agent": agent, **{k: record[k] for k in Contact.model_fields if record.get(k)}}
