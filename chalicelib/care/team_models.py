"""Request and response shapes of the team-care routes (issue 13): viewing marks, ticket rows,
customers and CSAT. Imported on first use by `chalicelib/api/care_extras.py`."""

from __future__ import annotations

from pydantic import BaseModel, Field


class Viewer(BaseModel):
    name: str
    until: str


class Viewing(BaseModel):
    ticket_id: str
    until: str = Field(description="the mark lasts 60 s; repeat every ~30 s while open")
    viewers: list[Viewer] = Field(description="the others viewing it now")
