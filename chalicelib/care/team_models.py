"""Request and response shapes of the team-care routes (issue 13): viewing marks, ticket rows,
customers and CSAT. Imported on first use by `chalicelib/api/care_extras.py`."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from chalicelib.instants import ApiDate


class Viewer(BaseModel):
    name: str
    until: str


class Viewing(BaseModel):
    ticket_id: str
    until: str = Field(description="the mark lasts 60 s; repeat every ~30 s while open")
    viewers: list[Viewer] = Field(description="the others viewing it now")


class TicketRowsQuery(BaseModel):
    model_config = ConfigDict(populate_by_name=True, extra="forbid")

    from_: ApiDate | None = Field(default=None, alias="from", description="brand day, inclusive")
    to: ApiDate | None = Field(default=None, description="brand day, inclusive (default today)")
    format: Literal["json", "csv"] = "json"


class TicketRow(BaseModel):
    ticket: str
    number: int | None = None
    status: str | None = None
    network: str | None = None
    team: str | None = None
    assignee: str | None = None
    priority: str | None = None
    customer_id: str | None = None
    customer: str | None = Field(default=None, description="the customer's display name")
    opened_at: str | None = Field(default=None, description="brand zone, with offset")
    first_reply_at: str | None = None
    resolved_at: str | None = None
    first_response_business_seconds: int | None = None
    resolution_business_seconds: int | None = None
    sla_first_response: str | None = None
    sla_resolution: str | None = None
    csat_asked: bool = False
    csat: int | None = None
    reopen_count: int = 0
    previous_ticket_id: str | None = None


class TicketRowsReport(BaseModel):
    from_: str = Field(alias="from")
    to: str
    timezone: str
    rows: list[TicketRow]
    by_agent: list[dict[str, Any]]
    by_team: list[dict[str, Any]]
    by_network: list[dict[str, Any]]
    notes: dict[str, str]


CUSTOMER_ID_PATTERN = r"^C[0-9a-f]{12}$"


class CustomerQuery(BaseModel):
    model_config = ConfigDict(extra="forbid")

    q: str = Field(min_length=1, max_length=64, description="start of a name or @handle")


class Identity(BaseModel):
    platform: str
    author_id: str
    handle: str | None = None
    name: str | None = None
    linked_at: str | None = None


class CustomerProfile(BaseModel):
    id: str
    name: str | None = None
    created_at: str | None = None
    updated_at: str | None = None
    merged_from: list[str] | None = None
    erased: bool | None = None
    erased_at: str | None = None


class CustomerPage(BaseModel):
    items: list[CustomerProfile]


class Conversation(BaseModel):
    platform: str
    conversation_id: str
    kind: str | None = None
    tickets: list[dict[str, Any]]
    last_messages: list[dict[str, Any]]


class Erasure(BaseModel):
    customer_id: str
    erased_at: str
    erased_by: str
    identities: int
    tickets: int
    messages: int


class CustomerDetail(CustomerProfile):
    identities: list[Identity]
    conversations: list[Conversation]
    requested_id: str | None = Field(
        default=None, description="the id asked for, when it was merged into this one"
    )
    erasure: Erasure | None = Field(default=None, description="who erased them, when, counts")


class MergeRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    customer_id: str = Field(
        pattern=CUSTOMER_ID_PATTERN, description="the duplicate, merged into this customer"
    )
