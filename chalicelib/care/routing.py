"""Teams, routing rules and auto-assignment.

A team has members (with on-duty flags) and routing rules: terms found in the customer's text
and listening categories. The intake team (`CARE_INTAKE_TEAM`, default `social`) owns new
tickets; `route` hands a ticket to the department whose rules match best (or the one named).
Assignment picks the on-duty member of the owning team with the fewest open tickets (ties by
name, so it is deterministic), reading the counters in one BatchGetItem.
"""

from __future__ import annotations

from typing import Any

from chalicelib.clock import iso, utcnow
from chalicelib.errors import NotFound, Unprocessable
from chalicelib.store import teams as store


def save_team(team_id: str, body: dict[str, Any]) -> dict[str, Any]:
    team = {
        **body,
        "id": team_id,
        "terms": sorted({t.strip() for t in body.get("terms", []) if t.strip()}),
        "categories": sorted({c.strip().lower() for c in body.get("categories", []) if c.strip()}),
        "updated_at": iso(utcnow()),
    }
    return store.put_team(team)


def get_team(team_id: str) -> dict[str, Any]:
    team = store.get_team(team_id)
    if team is None:
        raise NotFound(f"no team '{team_id}'")
    return team


def list_teams(*, limit: int, cursor: str | None) -> tuple[list[dict[str, Any]], str | None]:
    return store.list_teams(limit=limit, cursor=cursor)


def delete_team(team_id: str) -> None:
    store.delete_team(team_id)


def set_duty(team_id: str, agent: str, on_duty: bool) -> dict[str, Any]:
    return store.set_duty(team_id, agent, on_duty, iso(utcnow()))


def match_team(texts: list[str], categories: list[str]) -> str | None:
    """The team whose rules hit the conversation most often (categories weigh double)."""
    haystack = " ".join(texts).casefold()
    wanted = {c.lower() for c in categories}
    best: tuple[int, str] | None = None
    for team in store.all_teams():
        score = sum(1 for term in team.get("terms", []) if term.casefold() in haystack)
        score += 2 * len(wanted & set(team.get("categories", [])))
        if score and (
            best is None or score > best[0] or (score == best[0] and team["id"] < best[1])
        ):
            best = (score, team["id"])
    return best[1] if best else None


def pick_assignee(team_id: str | None) -> str | None:
    """Least-loaded on-duty member of the team, or None if nobody is on duty."""
    if not team_id:
        return None
    team = store.get_team(team_id)
    if team is None:
        return None
    on_duty = [m["agent"] for m in team.get("members", []) if m.get("on_duty")]
    counts = store.open_ticket_counts(on_duty)
    return min(on_duty, key=lambda agent: (counts.get(agent, 0), agent)) if on_duty else None


def require_member(team_id: str | None, agent: str) -> None:
    team = store.get_team(team_id) if team_id else None
    members = {m["agent"] for m in (team or {}).get("members", [])}
    if agent not in members:
        raise Unprocessable(
            f"'{agent}' is not a member of the ticket's team '{team_id}'",
            details=[{"field": "assignee", "problem": f"not a member of team '{team_id}'"}],
        )
