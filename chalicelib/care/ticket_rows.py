"""One row per ticket (issue 13): what a manager pastes into a spreadsheet, not only totals.

Rows are the tickets opened in the range (brand days, `CARE_TIMEZONE`), read through the
opened-time index (`store/ticket_rows.py`: one Query per UTC month, BatchGetItem per 100) and
computed from each ticket: first reply = the first customer message sent (else the
acknowledgement), business seconds on the owning team's SLA calendar, the SLA outcome of each
clock, the CSAT score and the reopen count. Times are written in the brand's zone with their
offset, and the zone is stated in the CSV column headers and the `X-Report-Timezone` header.
The summary rolls the same rows up per agent, team and network (SLA compliance, CSAT score
and response rate).
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from chalicelib.clock import iso
from chalicelib.errors import Unprocessable
from chalicelib.measure.reports import date_range
from chalicelib.settings import get_settings

MAX_ROWS = 10_000
TIME_COLUMNS = ("opened_at", "first_reply_at", "resolved_at")


def _parse(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value.replace("Z", "+00:00")) if value else None


def _local(value: datetime | None, zone: ZoneInfo) -> str | None:
    return value.astimezone(zone).isoformat(timespec="seconds") if value else None


def _first_reply(ticket: dict[str, Any]) -> datetime | None:
    for entry in ticket.get("history") or []:
        if entry.get("message"):
            return _parse(entry.get("at"))
    return _parse(ticket.get("acknowledged_at"))


def row(ticket: dict[str, Any], zone: ZoneInfo, calendars: dict[str, Any]) -> dict[str, Any]:
    from chalicelib.care import sla

    team = ticket.get("team") or ""
    if team not in calendars:
        calendars[team] = sla.policy_for(team or None).calendar
    calendar = calendars[team]
    opened = _parse(ticket.get("opened_at") or ticket["created_at"])
    first = _first_reply(ticket)
    resolved = _parse(ticket.get("resolved_at"))

    def business(end: datetime | None) -> int | None:
        if opened is None or end is None:
            return None
        return round(calendar.between(opened, max(end, opened)))

    clocks = ticket.get("sla") or {}
    author = (ticket.get("conversation") or {}).get("author") or {}
    csat = ticket.get("csat") or {}
    return {
        "ticket": ticket["id"],
        "number": ticket.get("number"),
        "status": ticket.get("status"),
        "network": ticket.get("platform"),
        "team": ticket.get("team"),
        "assignee": ticket.get("assignee"),
        "priority": ticket.get("priority"),
        "customer_id": ticket.get("customer_id"),
        "customer": author.get("name") or author.get("handle"),
        "opened_at": _local(opened, zone),
        "first_reply_at": _local(first, zone),
        "resolved_at": _local(resolved, zone),
        "first_response_business_seconds": business(first),
        "resolution_business_seconds": business(resolved),
        "sla_first_response": clocks.get("ack"),
        "sla_resolution": clocks.get("resolve"),
        "csat_asked": csat.get("state") in ("asked", "answered"),
        "csat": csat.get("score"),
        "reopen_count": int(ticket.get("reopen_count") or 0),
        "previous_ticket_id": ticket.get("previous_ticket_id"),
    }


def _bounds(first: date, last: date, zone: ZoneInfo) -> tuple[str, str]:
    start = datetime.combine(first, time(0), zone)
    end = datetime.combine(last + timedelta(days=1), time(0), zone) - timedelta(milliseconds=1)
    return iso(start), iso(end)


def report(start: date | None, end: date | None) -> dict[str, Any]:
    from chalicelib.care import repositories
    from chalicelib.store import ticket_rows

    first, last = date_range(start, end)
    zone_name = get_settings().timezone
    zone = ZoneInfo(zone_name)
    since, until = _bounds(first, last, zone)
    ids = ticket_rows.opened_between(since, until, limit=MAX_ROWS)
    if len(ids) > MAX_ROWS:
        raise Unprocessable(
            f"more than {MAX_ROWS} tickets in the range; ask for a shorter one",
            details=[{"field": "from", "problem": f"at most {MAX_ROWS} rows per report"}],
        )
    calendars: dict[str, Any] = {}
    found = repositories.tickets().get_many(ids)
    rows = [row(t.to_dict(), zone, calendars) for t in found]
    return {
        "from": first.isoformat(),
        "to": last.isoformat(),
        "timezone": zone_name,
        "rows": rows,
        "by_agent": summary(rows, "assignee"),
        "by_team": summary(rows, "team"),
        "by_network": summary(rows, "network"),
        "notes": {
            "first_reply_at": "the first message sent to the customer (else the acknowledgement)",
            "business_seconds": "on the owning team's SLA calendar (24/7 unless set); pauses "
            "waiting on the customer are not subtracted",
            "sla": "pending / at_risk / met / breached per clock",
        },
    }


def summary(rows: list[dict[str, Any]], field: str) -> list[dict[str, Any]]:
    """SLA compliance and CSAT per agent or team, from the rows."""
    groups: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for r in rows:
        groups[r.get(field) or "(none)"].append(r)
    out = []
    for key in sorted(groups):
        members = groups[key]

        def pct(clock: str, members: list[dict[str, Any]] = members) -> float | None:
            done = [r for r in members if r[clock] in ("met", "at_risk", "breached")]
            met = [r for r in done if r[clock] in ("met", "at_risk")]
            return round(100 * len(met) / len(done), 1) if done else None

        scores = [r["csat"] for r in members if r["csat"] is not None]
        asked = sum(1 for r in members if r["csat_asked"])
        out.append(
            {
                field: key,
                "tickets": len(members),
                "resolved": sum(1 for r in members if r["resolved_at"]),
                "sla_first_response_met_pct": pct("sla_first_response"),
                "sla_resolution_met_pct": pct("sla_resolution"),
                "csat_asked": asked,
                "csat_responses": len(scores),
                "csat_response_rate_pct": round(100 * len(scores) / asked, 1) if asked else None,
                "csat_average": round(sum(scores) / len(scores), 2) if scores else None,
                "reopened": sum(1 for r in members if r["reopen_count"]),
            }
        )
    return out


def csv_rows(report_body: dict[str, Any]) -> list[dict[str, Any]]:
    """The rows with the zone stated in the time columns' headers."""
    zone = report_body["timezone"]
    return [
        {(f"{k} ({zone})" if k in TIME_COLUMNS else k): v for k, v in r.items()}
        for r in report_body["rows"]
    ]
