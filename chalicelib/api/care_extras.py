"""Team-care routes (issue 13): who is viewing a ticket, ticket rows for managers.

Views parse, call `chalicelib.care`, return; models are imported on first use.
"""

from __future__ import annotations

from typing import Any

from chalice import Blueprint

from chalicelib.http import JSON, LazyModels, answer, route
from chalicelib.vocabulary import TICKET_ID_PATTERN

bp = Blueprint(__name__)
models = LazyModels("chalicelib.care.team_models")


@route(
    bp,
    "/tickets/{ticket_id}/viewing",
    methods=("POST",),
    role="agent",
    ids={"ticket_id": TICKET_ID_PATTERN},
    response=models.Viewing,
)
def mark_viewing(ticket_id: str) -> dict[str, Any]:
    """Mark the ticket as open in my console for 60 s; answers who else is viewing it."""
    from chalicelib.care import presence

    return presence.mark(ticket_id)


@route(
    bp,
    "/reports/tickets",
    role="manager",
    query=models.TicketRowsQuery,
    response=models.TicketRowsReport,
    produces=(JSON, "text/csv"),
)
def ticket_rows_report(query: Any) -> Any:
    """One row per ticket opened in the range (format=csv for a spreadsheet), brand zone."""
    from chalicelib.csvexport import to_csv
    from chalicelib.measure import ticket_rows

    report = ticket_rows.report(query.from_, query.to)
    headers = {"X-Report-Timezone": report["timezone"]}
    if query.format == "csv":
        name = f"tickets-{report['from']}-{report['to']}.csv"
        return answer(
            to_csv(ticket_rows.csv_rows(report)),
            200,
            **headers,
            **{
                "Content-Type": "text/csv; charset=utf-8",
                "Content-Disposition": f'attachment; filename="{name}"',
            },
        )
    return answer(report, 200, **headers)
