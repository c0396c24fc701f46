"""Request bodies of the publishing API, validated by pydantic (422 naming the field)."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator

from chalicelib.platforms import accounts
from chalicelib.shapes import PageQuery
from chalicelib.vocabulary import Network


def _account_of_network(account_id: str | None, info: ValidationInfo) -> str | None:
    """The account id must be shaped like the network's (declared after `network`)."""
    network = info.data.get("network")
    if account_id is None or network is None:
        return account_id
    return accounts.check(network, account_id)


HHMM = r"^([01]\d|2[0-3]):[0-5]\d$|^24:00$"


class Utm(BaseModel):
    model_config = ConfigDict(extra="forbid")

    source: str | None = Field(default=None, max_length=100)
    medium: str | None = Field(default=None, max_length=100)
    campaign: str | None = Field(default=None, max_length=100)
    term: str | None = Field(default=None, max_length=100)
    content: str | None = Field(default=None, max_length=100)


class PostIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    network: Network
    account_id: str = Field(min_length=1, max_length=128)
    text: str = Field(default="", max_length=70_000)
    media_urls: list[str] = Field(default_factory=list, max_length=20)
    link: str | None = Field(default=None, max_length=2048)
    track_links: bool = False
    utm: Utm | None = None
    scheduled_at: str | None = Field(default=None, max_length=64)
    timezone: str | None = Field(default=None, max_length=64)

    _account = field_validator("account_id")(_account_of_network)


class PostPatch(BaseModel):
    model_config = ConfigDict(extra="forbid")

    account_id: str | None = Field(default=None, min_length=1, max_length=128)
    text: str | None = Field(default=None, max_length=70_000)
    media_urls: list[str] | None = Field(default=None, max_length=20)
    link: str | None = Field(default=None, max_length=2048)
    track_links: bool | None = None
    utm: Utm | None = None
    scheduled_at: str | None = Field(default=None, max_length=64)
    timezone: str | None = Field(default=None, max_length=64)


class ScheduleIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    scheduled_at: str | None = Field(default=None, max_length=64)
    timezone: str | None = Field(default=None, max_length=64)


class Window(BaseModel):
    model_config = ConfigDict(extra="forbid")

    days: list[Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"]] | None = None
    start: str = Field(pattern=HHMM)
    end: str = Field(pattern=HHMM)


class CadenceIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    network: Network
    account_id: str | None = Field(default=None, min_length=1, max_length=128)
    max_per_day: int | None = Field(default=None, ge=1, le=100)
    min_gap_minutes: int | None = Field(default=None, ge=1, le=7 * 24 * 60)
    windows: list[Window] | None = Field(default=None, max_length=21)
    timezone: str | None = Field(default=None, max_length=64)

    _account = field_validator("account_id")(_account_of_network)


class CalendarQuery(BaseModel):
    model_config = ConfigDict(populate_by_name=True)

    from_: str = Field(alias="from", max_length=64)
    to: str = Field(max_length=64)
    tz: str | None = Field(default=None, max_length=64)
    network: Network | None = None


class NextSlotQuery(BaseModel):
    network: Network
    account_id: str = Field(min_length=1, max_length=128)
    after: str | None = Field(default=None, max_length=64)
    tz: str | None = Field(default=None, max_length=64)
    # Opt-in: the earliest free hour among the network's best times in the next week (issue 8).
    prefer: Literal["best_times"] | None = None

    _account = field_validator("account_id")(_account_of_network)


class PostQuery(PageQuery):
    status: str | None = Field(default=None, max_length=32)
    network: Network | None = None


class LinkIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    target: str = Field(min_length=1, max_length=2048)
    code: str | None = Field(default=None, pattern=r"^[A-Za-z0-9_-]{3,32}$")
    utm: Utm | None = None


class Actor(BaseModel):
    token_id: str
    name: str
    role: str


class Post(BaseModel):
    """A planned post through its life: draft, pending_approval, scheduled, publishing,
    published, failed or cancelled; the fields of later stages appear as it reaches them."""

    id: str
    network: Network
    account_id: str
    text: str
    media_urls: list[str]
    link: str | None = None
    track_links: bool
    utm: Utm | None = None
    timezone: str
    status: str
    scheduled_at: str | None = None
    scheduled_local: str | None = None
    publish_text: str | None = None
    tracked_links: list[dict[str, Any]] | None = None
    created_by: Actor | None
    updated_by: Actor | None = None
    requested_by: Actor | None = None
    approved_by: Actor | None = None
    cancelled_by: Actor | None = None
    created_at: str
    updated_at: str
    cancelled_at: str | None = None
    published_at: str | None = None
    platform_id: str | None = None
    url: str | None = None
    attempt: int
    last_error: Any = None
    error: Any = None
    check_first: Any = None
    version: int


class PostPage(BaseModel):
    items: list[Post]
    next_cursor: str | None


class PostCalendar(BaseModel):
    """Posts per network between two times, and the cadence rules that apply."""

    model_config = ConfigDict(populate_by_name=True)

    timezone: str
    from_: str = Field(alias="from")
    to: str
    from_local: str
    to_local: str
    networks: dict[str, Any]
    cadence: list[dict[str, Any]]


class Slot(BaseModel):
    network: Network
    account_id: str
    after: str
    slot_at: str | None
    slot_local: str | None = None
    timezone: str


class Link(BaseModel):
    code: str
    target: str
    original_target: str
    short_url: str
    clicks: int
    created_at: str
    created_by: str | None = None
    utm: dict[str, str] | None = None


class LinkPage(BaseModel):
    items: list[Link]
    next_cursor: str | None
