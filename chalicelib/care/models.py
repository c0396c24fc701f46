"""Request and response shapes of the care API (tickets, teams, templates, tokens).

Requests are validated with these models (→ 422 naming the field). Responses are plain dicts
built by the domain; the response models document them in the OpenAPI document and a test
validates real responses against them, so the document cannot lie.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

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
BLANK_PATTERN = r"^[a-z][a-z0-9_]{0,31}$"
CATEGORY_PATTERN = r"^[a-z][a-z0-9_-]{0,31}$"
SHORTCUT_PATTERN = r"^/[a-z0-9][a-z0-9_-]{0,31}$"


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
    template_ids: list[Annotated[str, Field(pattern=TEMPLATE_ID_PATTERN)]] | None = Field(
        default=None,
        min_length=1,
        max_length=5,
        description="several snippets combined in one message (after template_id, if given)",
    )
    blanks: dict[Annotated[str, Field(pattern=BLANK_PATTERN)], str] | None = Field(
        default=None,
        max_length=20,
        description="values of the templates' {{blank:name}} blanks (and overrides of "
        "order_number, team, link); a blank left is 422 blank_missing",
    )
    private: bool = Field(default=False, description="private message (DM) instead of public")
    private_link: str | None = Field(default=None, max_length=512)
    mention_id: str | None = Field(
        default=None, pattern=MENTION_ID_PATTERN, description="answer this mention of the ticket"
    )
    version: int | None = Field(
        default=None, ge=1, description="expected ticket version: 409 stale_version if it moved"
    )

    @model_validator(mode="after")
    def _one_source(self) -> MessageRequest:
        if self.text and (self.template_id or self.template_ids):
            raise ValueError("give either text or template_id(s), not both")
        for value in (self.blanks or {}).values():
            if not 1 <= len(value) <= 500:
                raise ValueError("a blank's value has 1-500 characters")
        return self

    @property
    def has_message(self) -> bool:
        return bool(self.text or self.template_id or self.template_ids)


class AcknowledgeRequest(MessageRequest):
    """Without text or template_id, the suggested acknowledgement template is sent."""


class ReplyRequest(MessageRequest):
    @model_validator(mode="after")
    def _needs_message(self) -> ReplyRequest:
        if not self.has_message:
            raise ValueError("a reply needs text or template_id(s)")
        return self


class ResolveRequest(MessageRequest):
    note: str | None = Field(default=None, max_length=2000)


class AssignRequest(_Strict):
    assignee: str | None = Field(
        default=None,
        pattern=AGENT_PATTERN,
        description="omit to auto-assign the least-loaded on-duty member of the ticket's team",
    )
    version: int | None = Field(
        default=None, ge=1, description="expected ticket version: 409 stale_version if it moved"
    )


class RouteRequest(_Strict):
    team: str | None = Field(
        default=None, pattern=TEAM_PATTERN, description="omit to apply the routing rules"
    )
    note: str = Field(min_length=1, max_length=2000, description="internal note for the team")
    version: int | None = Field(
        default=None, ge=1, description="expected ticket version: 409 stale_version if it moved"
    )


class NoteRequest(_Strict):
    note: str | None = Field(default=None, max_length=2000)
    version: int | None = Field(
        default=None, ge=1, description="expected ticket version: 409 stale_version if it moved"
    )


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
    csat: bool = Field(
        default=False, description="ask the customer for a 1-5 score after each resolution"
    )
    reopen_days: int | None = Field(
        default=None,
        ge=0,
        le=90,
        description="a customer writing within this many days of a resolution reopens the "
        "ticket; later, a new ticket links the old (default 7)",
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
    category: str | None = Field(
        default=None, pattern=CATEGORY_PATTERN, description="e.g. shipping, billing, greeting"
    )
    shortcut: str | None = Field(
        default=None, pattern=SHORTCUT_PATTERN, description="typed in the reply box, e.g. /track"
    )


class TemplateQuery(PageQuery):
    kind: TemplateKind | None = None
    language: str | None = Field(default=None, pattern=LANGUAGE_PATTERN)
    category: str | None = Field(default=None, pattern=CATEGORY_PATTERN)
    shortcut: str | None = Field(default=None, pattern=SHORTCUT_PATTERN)
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
    clock: str | None = Field(default=None, description="sla_at_risk / sla_breached: ack|resolve")
    seq: str | None = Field(
        default=None, description="unique within the ticket; absent on SLA marks not yet filed"
    )


class Conversation(BaseModel):
    platform: str
    conversation_id: str
    author: dict[str, Any]
    kind: str
    account_id: str | None = None


class Preview(BaseModel):
    text: str = ""
    intent: str | None = None
    sentiment: str | None = None


class Ticket(BaseModel):
    id: str
    number: int
    status: TicketStatus
    priority: Priority
    platform: str
    mention_id: str
    mention_ids: list[str] = Field(description="the latest customer messages (up to 20)")
    mention_count: int | None = Field(default=None, description="all customer messages")
    language: str
    conversation: Conversation
    team: str | None = None
    assignee: str | None = None
    created_at: str
    updated_at: str
    opened_at: str | None = Field(
        default=None, description="when the SLA clock started (a triage ticket: the mention's time)"
    )
    acknowledged_at: str | None = None
    resolved_at: str | None = None
    ack_due_at: str
    resolve_due_at: str
    next_due_at: str | None = None
    sla: SlaClock
    preview: Preview | None = Field(
        default=None, description="the first message's opening line and labels (inbox rows)"
    )
    history: list[HistoryEntry] = Field(
        description="the latest entries: a few in listings, a page in the detail view"
    )
    version: int
    updated_by: str | None = Field(default=None, description="who made the last change")
    reopen_count: int | None = Field(default=None, description="times it was reopened")
    customer_id: str | None = Field(default=None, description="GET /customers/{id}")
    csat: dict[str, Any] | None = Field(
        default=None, description="{state asking|asked|failed|answered, asked_at, score?}"
    )
    previous_ticket_id: str | None = Field(
        default=None, description="the conversation's earlier ticket, resolved"
    )
    reply_window_ends_at: str | None = Field(
        default=None, description="after this the network refuses a reply (Meta DMs: 24 h)"
    )
    reply_window_closing: bool | None = Field(
        default=None, description="the reply window closes within 2 h"
    )
    reply_window_closed: bool | None = None


class TicketPage(BaseModel):
    items: list[Ticket]
    next_cursor: str | None


class TicketLabels(BaseModel):
    intent: str | None = None
    sentiment: str | None = None
    corrected: bool = Field(default=False, description="a person corrected the machine's labels")


class TicketDetail(Ticket):
    history_cursor: str | None = Field(
        default=None, description="older history: GET /tickets/{id}/history?cursor="
    )
    mentions: list[dict[str, Any]]
    suggested_template: dict[str, Any] | None = None
    viewers: list[dict[str, Any]] = Field(
        default_factory=list, description="others who have it open now: [{name, until}]"
    )
    customer: dict[str, Any] | None = Field(
        default=None, description="the customer: {id, name, networks, earlier_tickets}"
    )
    labels: TicketLabels | None = Field(
        default=None, description="intent and sentiment of the ticket's first mention"
    )


class HistoryPage(BaseModel):
    items: list[HistoryEntry]
    next_cursor: str | None


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
