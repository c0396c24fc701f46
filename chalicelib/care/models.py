"""Request and response shapes of the care API (tickets, teams, templates, tokens).

Requests are validated with these models (→ 422 naming the field). Responses are plain dicts
built by the domain; the response models document them in the OpenAPI document and a test
validates real responses against them, so the document cannot lie.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from chalicelib.instants import ApiDatetime
from chalicelib.shapes import PageQuery
from chalicelib.vocabulary import (
    AGENT_PATTERN,
    MENTION_ID_PATTERN,
    PLATFORM_PATTERN,
    TEAM_PATTERN,
    TEMPLATE_ID_PATTERN,
    Role,
)

TicketStatus = Literal["open", "acknowledged", "in_progress", "waiting", "resolved"]
Priority = Literal["low", "normal", "high", "urgent"]
SlaState = Literal["pending", "at_risk", "met", "breached"]
TemplateKind = Literal["acknowledgement", "private", "reply", "resolution"]
PrivateChannel = Literal["dm", "email", "phone"]

PRIORITIES: tuple[str, ...] = ("low", "normal", "high", "urgent")
LANGUAGE_PATTERN = r"^[a-z]{2,3}$"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


# --- requests ---------------------------------------------------------------------------------


class OpenTicketRequest(_Strict):
    mention_id: str = Field(pattern=MENTION_ID_PATTERN, description="platform:platform_id")
    priority: Priority | None = None


class MessageRequest(_Strict):
    """A message to the customer: free text or a template, public or private."""

    text: str | None = Field(default=None, min_length=1, max_length=4000)
    template_id: str | None = Field(default=None, pattern=TEMPLATE_ID_PATTERN)
    private: bool = Field(default=False, description="private message (DM) instead of public")
    private_link: str | None = Field(default=None, max_length=512)
    mention_id: str | None = Field(
        default=None, pattern=MENTION_ID_PATTERN, description="answer this mention of the ticket"
    )

    @model_validator(mode="after")
    def _one_source(self) -> MessageRequest:
        if self.text and self.template_id:
            raise ValueError("give either text or template_id, not both")
        return self

    @property
    def has_message(self) -> bool:
        return bool(self.text or self.template_id)


class AcknowledgeRequest(MessageRequest):
    """Without text or template_id, the suggested acknowledgement template is sent."""


class ReplyRequest(MessageRequest):
    @model_validator(mode="after")
    def _needs_message(self) -> ReplyRequest:
        if not self.has_message:
            raise ValueError("a reply needs text or template_id")
        return self


class ResolveRequest(MessageRequest):
    note: str | None = Field(default=None, max_length=2000)


class AssignRequest(_Strict):
    assignee: str | None = Field(
        default=None,
        pattern=AGENT_PATTERN,
        description="omit to auto-assign the least-loaded on-duty member of the ticket's team",
    )


class RouteRequest(_Strict):
    team: str | None = Field(
        default=None, pattern=TEAM_PATTERN, description="omit to apply the routing rules"
    )
    note: str = Field(min_length=1, max_length=2000, description="internal note for the team")


class NoteRequest(_Strict):
    note: str | None = Field(default=None, max_length=2000)


class InboxQuery(PageQuery):
    status: TicketStatus | None = None
    team: str | None = Field(default=None, pattern=TEAM_PATTERN)
    assignee: str | None = Field(
        default=None, pattern=AGENT_PATTERN, description="an agent, or 'unassigned'"
    )
    platform: str | None = Field(default=None, pattern=PLATFORM_PATTERN)
    priority: Priority | None = None
    sla: SlaState | None = Field(default=None, description="matches the ack or resolve clock")


class TeamMember(_Strict):
    agent: str = Field(pattern=AGENT_PATTERN)
    on_duty: bool = True


class TeamRequest(_Strict):
    name: str = Field(min_length=1, max_length=128)
    members: list[TeamMember] = Field(default_factory=list, max_length=200)
    terms: list[str] = Field(
        default_factory=list, max_length=200, description="routing: words or phrases in the text"
    )
    categories: list[str] = Field(
        default_factory=list, max_length=100, description="routing: mention categories"
    )

    @model_validator(mode="after")
    def _unique_members(self) -> TeamRequest:
        agents = [m.agent for m in self.members]
        if len(agents) != len(set(agents)):
            raise ValueError("members must be unique")
        return self


class DutyRequest(_Strict):
    on_duty: bool


class TemplateRequest(_Strict):
    kind: TemplateKind
    language: str = Field(pattern=LANGUAGE_PATTERN)
    text: str = Field(min_length=1, max_length=4000)
    name: str | None = Field(default=None, max_length=128)
    channel: PrivateChannel | None = Field(default=None, description="for kind=private")


class TemplateQuery(PageQuery):
    kind: TemplateKind | None = None
    language: str | None = Field(default=None, pattern=LANGUAGE_PATTERN)
    limit: int = Field(default=50, ge=1, le=100)


class CreateTokenRequest(_Strict):
    name: str = Field(min_length=1, max_length=64, pattern=AGENT_PATTERN)
    role: Role
    expires_at: ApiDatetime | None = None


# --- responses --------------------------------------------------------------------------------


class SlaClock(BaseModel):
    ack: SlaState
    resolve: SlaState


class SentMessage(BaseModel):
    text: str
    private: bool
    template_id: str | None = None
    platform_message_id: str | None = None
    url: str | None = None
    in_reply_to: str | None = None


class HistoryEntry(BaseModel):
    at: str
    by: str
    action: str
    from_status: TicketStatus | None = None
    to_status: TicketStatus | None = None
    note: str | None = None
    team: str | None = None
    assignee: str | None = None
    mention_id: str | None = None
    message: SentMessage | None = None


class Conversation(BaseModel):
    platform: str
    conversation_id: str
    author: dict[str, Any]
    kind: str
    account_id: str | None = None


class Ticket(BaseModel):
    id: str
    number: int
    status: TicketStatus
    priority: Priority
    platform: str
    mention_id: str
    mention_ids: list[str]
    language: str
    conversation: Conversation
    team: str | None = None
    assignee: str | None = None
    created_at: str
    updated_at: str
    acknowledged_at: str | None = None
    resolved_at: str | None = None
    ack_due_at: str
    resolve_due_at: str
    next_due_at: str | None = None
    sla: SlaClock
    history: list[HistoryEntry]
    version: int


class TicketPage(BaseModel):
    items: list[Ticket]
    next_cursor: str | None


class TicketDetail(Ticket):
    mentions: list[dict[str, Any]]
    suggested_template: dict[str, Any] | None = None


class TicketAction(BaseModel):
    ticket: Ticket
    sent: SentMessage | None = None


class Team(TeamRequest):
    id: str
    updated_at: str


class TeamPage(BaseModel):
    items: list[Team]
    next_cursor: str | None


class Template(TemplateRequest):
    id: str
    updated_at: str


class TemplatePage(BaseModel):
    items: list[Template]
    next_cursor: str | None


class TokenInfo(BaseModel):
    token_id: str
    name: str
    role: Role
    created_at: str
    expires_at_iso: str | None = None
    revoked: bool


class CreatedToken(TokenInfo):
    token: str = Field(description="the secret; shown only in this response")


class TokenPage(BaseModel):
    items: list[TokenInfo]
    next_cursor: str | None
