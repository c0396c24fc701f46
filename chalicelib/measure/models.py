"""Query and response shapes of the report and insight routes (imported on first use)."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, RootModel

from chalicelib.instants import ApiDate
from chalicelib.measure.observations import ObservationIn
from chalicelib.vocabulary import Network


class ReportQuery(BaseModel):
    model_config = ConfigDict(populate_by_name=True, extra="forbid")

    from_: ApiDate | None = Field(default=None, alias="from")
    to: ApiDate | None = None
    format: Literal["json", "csv"] = "json"


class BestTimesQuery(BaseModel):
    model_config = ConfigDict(extra="forbid")

    network: Network


class _Report(BaseModel):
    """A report's period (dates in the brand's zone) and how much it read to build it."""

    model_config = ConfigDict(populate_by_name=True)

    from_: str = Field(alias="from")
    to: str
    notes: dict[str, str]
    read: dict[str, int]


class CareReport(_Report):
    overall: dict[str, Any]
    by_team: list[dict[str, Any]]
    by_agent: list[dict[str, Any]]
    by_network: list[dict[str, Any]]
    by_priority: list[dict[str, Any]]
    by_week: list[dict[str, Any]]
    responses: dict[str, Any]


class ListeningReport(_Report):
    mentions: int
    sentiment: dict[str, int]
    by_network: dict[str, int]
    by_category: list[dict[str, Any]]
    by_rule: list[dict[str, Any]]
    sentiment_trend: list[dict[str, Any]]
    share_of_voice: list[dict[str, Any]]
    top_terms: list[dict[str, Any]]
    top_hashtags: list[dict[str, Any]]
    questions: dict[str, Any]
    people: list[dict[str, Any]]


class EngagementReport(_Report):
    posts: list[dict[str, Any]]
    by_network: list[dict[str, Any]]
    by_week: list[dict[str, Any]]


class BestTimes(BaseModel):
    """The weekday x hour grid of expected engagement rate, its top slots and its basis."""

    network: Network
    timezone: str
    basis: str
    used: dict[str, bool]
    sample_sizes: dict[str, int]
    mean_rate: dict[str, float | None]
    method: dict[str, Any]
    top_slots: list[dict[str, Any]]
    grid: list[dict[str, Any]]


class ObservationUpload(RootModel[list[ObservationIn]]):
    """Competitors' public posts with their counts (as JSON; the CSV has the same columns)."""


class ObservationsStored(BaseModel):
    stored: int
    networks: dict[str, int]
