"""GET /reports/tickets (issue 13): one row per ticket opened in the range, brand zone, CSV
cells a spreadsheet would run escaped, per-agent and per-team SLA compliance; no Scan."""

from __future__ import annotations

import csv
import io

from chalicelib import settings
from chalicelib.care import tickets
from chalicelib.care.models import AcknowledgeRequest, ResolveRequest
from chalicelib.measure.counters import day_of
from chalicelib.models import Author, utcnow
from tests.conftest import bearer
from tests.integration.care_seed import ticket_for


def test_rows_per_ticket_in_json_and_csv_with_formulas_escaped(
    client, manager_token, teams, fake_platform, monkeypatch
):
    monkeypatch.setenv("CARE_TIMEZONE", "Asia/Tehran")
    settings.get_settings.cache_clear()
    # Given three tickets: one resolved, one acknowledged, one open with a hostile name
    done = ticket_for(1)
    tickets.acknowledge(done["id"], AcknowledgeRequest(text="on it"))
    tickets.resolve(done["id"], ResolveRequest(text="sorted"))
    acked = ticket_for(2)
    tickets.acknowledge(acked["id"], AcknowledgeRequest(text="looking"))
    hostile = ticket_for(3, author=Author(id="u3", name='=HYPERLINK("http://x","y")'))
    today = day_of(utcnow())

    body = client.http.get(
        f"/reports/tickets?from={today}&to={today}", headers=bearer(manager_token)
    )
    assert body.status_code == 200, body.json_body
    assert body.headers["X-Report-Timezone"] == "Asia/Tehran"
    report = body.json_body
    rows = {r["ticket"]: r for r in report["rows"]}
    assert set(rows) == {done["id"], acked["id"], hostile["id"]}
    first = rows[done["id"]]
    assert first["network"] == "telegram"
    assert first["team"] == "social"
    assert first["assignee"] == "sara"
    assert first["opened_at"].endswith("+03:30")
    assert first["first_reply_at"] is not None
    assert first["resolved_at"] is not None
    assert first["first_response_business_seconds"] >= 0
    assert first["resolution_business_seconds"] >= first["first_response_business_seconds"]
    assert (first["sla_first_response"], first["sla_resolution"]) == ("met", "met")
    assert rows[acked["id"]]["resolved_at"] is None
    assert rows[hostile["id"]]["first_reply_at"] is None
    (sara,) = report["by_agent"]
    assert (sara["assignee"], sara["tickets"], sara["resolved"]) == ("sara", 3, 1)
    assert sara["sla_first_response_met_pct"] == 100.0

    csv_answer = client.http.get(
        f"/reports/tickets?from={today}&to={today}&format=csv", headers=bearer(manager_token)
    )
    assert csv_answer.headers["Content-Type"].startswith("text/csv")
    table = list(csv.DictReader(io.StringIO(csv_answer.body.decode())))
    assert len(table) == 3
    assert "opened_at (Asia/Tehran)" in table[0]
    names = {r["ticket"]: r["customer"] for r in table}
    assert names[hostile["id"]] == '\'=HYPERLINK("http://x","y")'
    settings.get_settings.cache_clear()


def test_a_range_before_any_ticket_is_empty_and_bad_dates_are_422(client, manager_token):
    empty = client.http.get(
        "/reports/tickets?from=2020-01-01&to=2020-01-31", headers=bearer(manager_token)
    )
    assert empty.json_body["rows"] == []
    bad = client.http.get(
        "/reports/tickets?from=2020-02-01&to=2020-01-01", headers=bearer(manager_token)
    )
    assert bad.status_code == 422
    typo = client.http.get("/reports/tickets?form=2020-01-01", headers=bearer(manager_token))
    assert typo.status_code == 422
