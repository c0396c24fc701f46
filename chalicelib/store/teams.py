"""Teams (members, on-duty flags, routing terms/categories) and agents' open-ticket counters.

A small business has a handful of teams, so routing reads them all with one Query on gsi1
(never a Scan). Counters live one item per agent and move only by atomic ADD inside the ticket
transactions (see `tickets.py`); auto-assignment reads the candidates' counters in one
BatchGetItem.
"""

from __future__ import annotations

from typing import Any

from chalicelib import aws
from chalicelib.errors import Conflict, NotFound
from chalicelib.store import keys
from chalicelib.store.table import (
    delete_existing,
    get,
    is_conditional_failure,
    public,
    query_page,
    serialize,
    table_name,
)
from chalicelib.store.tickets import batch_get
from chalicelib.store.updates import build


def put_team(team: dict[str, Any]) -> dict[str, Any]:
    item = {**keys.team(team["id"]), **keys.team_timeline(team["id"]), "type": "team", **team}
    aws.dynamodb().put_item(TableName=table_name(), Item=serialize(item))
    return team


def get_team(team_id: str) -> dict[str, Any] | None:
    item = get(keys.team(team_id))
    return public(item) if item else None


def list_teams(
    *, limit: int = 100, cursor: str | None = None
) -> tuple[list[dict[str, Any]], str | None]:
    items, next_cursor = query_page(
        index="gsi1",
        pk_name="gsi1pk",
        pk_value=keys.TEAMS,
        limit=limit,
        cursor=cursor,
        newest_first=False,
    )
    return [public(i) for i in items], next_cursor


def all_teams() -> list[dict[str, Any]]:
    teams, cursor = list_teams()
    while cursor:
        more, cursor = list_teams(cursor=cursor)
        teams += more
    return teams


def delete_team(team_id: str) -> None:
    delete_existing(keys.team(team_id), what=f"team '{team_id}'")


def set_duty(team_id: str, agent: str, on_duty: bool, now: str) -> dict[str, Any]:
    """Flip one member's on-duty flag; conditioned on the member list it read, so a concurrent
    edit of the team is not overwritten (409: the caller retries)."""
    team = get_team(team_id)
    if team is None:
        raise NotFound(f"no team '{team_id}'")
    members = team.get("members", [])
    if not any(m["agent"] == agent for m in members):
        raise NotFound(f"'{agent}' is not a member of team '{team_id}'")
    updated = [{**m, "on_duty": on_duty} if m["agent"] == agent else m for m in members]
    try:
        aws.dynamodb().update_item(
            TableName=table_name(),
            Key=serialize(keys.team(team_id)),
            **build(set={"members": updated, "updated_at": now}).kwargs(
                condition="#members = :old", names={"#members": "members"}, values={":old": members}
            ),
        )
    except Exception as exc:
        if is_conditional_failure(exc):
            raise Conflict(f"team '{team_id}' changed meanwhile; try again") from exc
        raise
    return {**team, "members": updated, "updated_at": now}


def open_ticket_counts(agents: list[str]) -> dict[str, int]:
    if not agents:
        return {}
    found = batch_get([keys.agent_load(a) for a in agents])
    counts = dict.fromkeys(agents, 0)
    for item in found:
        counts[item["agent"]] = max(0, int(item.get("open_tickets", 0)))
    return counts
