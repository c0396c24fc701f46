"""Observations of other accounts' public posts (competitors we cannot query), uploaded by a
manager as a JSON list or a CSV file, for best-times when our own data is thin.

All or nothing: every row is validated first and any bad row is a 422 listing each problem with
its row number (JSON: the 1-based position in the list; CSV: the line, the header being line 1),
so a fixed file can simply be uploaded again. Rows are keyed by network, time and post id (or a
hash of account, time and URL), so uploading the same file twice stores nothing new.
"""

from __future__ import annotations

import csv
import hashlib
import io
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from chalicelib import jsonbody
from chalicelib.errors import BadRequest, PayloadTooLarge, Unprocessable
from chalicelib.models import iso
from chalicelib.vocabulary import Network

MAX_ROWS = 5000
MAX_ERRORS = 50
COUNTS = ("reactions", "comments", "shares", "saves", "clicks", "impressions", "views", "reach")


class ObservationIn(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    network: Network
    account: str = Field(min_length=1, max_length=128)
    posted_at: str = Field(min_length=1, max_length=64)
    post_id: str | None = Field(default=None, max_length=256)
    url: str | None = Field(default=None, max_length=2048)
    reactions: int = Field(default=0, ge=0)
    comments: int = Field(default=0, ge=0)
    shares: int = Field(default=0, ge=0)
    saves: int = Field(default=0, ge=0)
    clicks: int = Field(default=0, ge=0)
    impressions: int | None = Field(default=None, ge=0)
    views: int | None = Field(default=None, ge=0)
    reach: int | None = Field(default=None, ge=0)
    followers: int | None = Field(default=None, ge=0)

    @field_validator("post_id", "url", "impressions", "views", "reach", "followers", mode="before")
    @classmethod
    def _blank_is_none(cls, value: Any) -> Any:
        return None if value == "" else value


def observation_rate(record: dict[str, Any]) -> float | None:
    """Engagements per impression (or view, or reach), else per follower; None if neither."""
    engaged = sum(int(record.get(m) or 0) for m in COUNTS[:5])
    for basis in ("impressions", "views", "reach", "followers"):
        seen = int(record.get(basis) or 0)
        if seen > 0:
            return engaged / seen
    return None


def parse(raw: bytes, content_type: str) -> list[tuple[int, dict[str, Any]]]:
    """(row number, raw row) pairs from a JSON list (or {"observations": [...]}) or a CSV file."""
    try:
        text = raw.decode("utf-8-sig", errors="strict") if raw else ""
    except UnicodeDecodeError as exc:
        raise BadRequest(
            "the upload is not UTF-8 text",
            details=[{"field": "body", "problem": f"not UTF-8 at byte {exc.start}"}],
        ) from exc
    if not text.strip():
        raise BadRequest("request body is required (a JSON list or a CSV file)")
    if content_type.split(";")[0].strip().lower() == "text/csv":
        reader = csv.DictReader(io.StringIO(text))
        if not reader.fieldnames:
            raise Unprocessable("the CSV file has no header row")
        rows = [(n, dict(row)) for n, row in enumerate(reader, start=2)]
        for n, row in rows:
            if None in row:
                raise Unprocessable(
                    "a CSV row has more cells than the header",
                    details=[{"row": n, "field": "row", "problem": "more cells than header names"}],
                )
    else:
        body = jsonbody.parse(text)
        if isinstance(body, dict):
            body = body.get("observations")
        if not isinstance(body, list):
            raise Unprocessable(
                "expected a JSON list of observations",
                details=[{"field": "body", "problem": "must be a list (or {observations: [...]})"}],
            )
        rows = [(n, row) for n, row in enumerate(body, start=1)]
    if len(rows) > MAX_ROWS:
        raise PayloadTooLarge(f"at most {MAX_ROWS} observations per upload")
    if not rows:
        raise Unprocessable("no observations in the upload")
    return rows


def validate(rows: list[tuple[int, Any]]) -> list[dict[str, Any]]:
    from chalicelib.publishing.times import parse_time

    records, problems = [], []
    for number, row in rows:
        if not isinstance(row, dict):
            problems.append({"row": number, "field": "row", "problem": "must be an object"})
            continue
        try:
            item = ObservationIn.model_validate(row)
            posted = parse_time(item.posted_at, None, field="posted_at")
        except ValidationError as exc:
            problems += [
                {
                    "row": number,
                    "field": ".".join(str(p) for p in e["loc"]) or "row",
                    "problem": e["msg"],
                }
                for e in exc.errors()
            ]
            continue
        except Unprocessable as exc:
            problems += [{"row": number, **d} for d in exc.details or []]
            continue
        record = item.model_dump()
        record["posted_at"] = iso(posted)
        if observation_rate(record) is None:
            problems.append(
                {
                    "row": number,
                    "field": "impressions",
                    "problem": "give impressions, views, reach or followers to compute a rate",
                }
            )
            continue
        identity = (
            item.post_id
            or hashlib.sha256(
                f"{item.account}|{record['posted_at']}|{item.url or ''}".encode()
            ).hexdigest()[:24]
        )
        record["id"] = f"{item.account}:{identity}"
        records.append({k: v for k, v in record.items() if v is not None})
    if problems:
        raise Unprocessable(
            f"{len(problems)} problem(s) in the upload; nothing was stored",
            details=problems[:MAX_ERRORS],
        )
    return records


def upload(raw: bytes, content_type: str) -> dict[str, Any]:
    from chalicelib.store import measure as store

    records = validate(parse(raw, content_type))
    store.put_observations(records)
    networks: dict[str, int] = {}
    for record in records:
        networks[record["network"]] = networks.get(record["network"], 0) + 1
    return {"stored": len(records), "networks": networks}
