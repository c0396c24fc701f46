"""Measurement: care, listening and engagement reports, best posting times, and competitors'
public posts uploaded for comparison."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from chalice import Blueprint, Response

from chalicelib.http import LazyModels, raw_body, route

if TYPE_CHECKING:
    from chalicelib.measure.models import BestTimesQuery, ReportQuery

bp = Blueprint(__name__)
models = LazyModels("chalicelib.measure.models")
REPORT_MEDIA = ("application/json", "text/csv")


def _report(kind: str, query: ReportQuery) -> Any:
    from chalicelib.measure import reports

    report = getattr(reports, kind)(query.from_, query.to)
    if query.format == "csv":
        return Response(
            body=reports.to_csv(reports.ROWS[kind](report)),
            status_code=200,
            headers={
                "Content-Type": "text/csv; charset=utf-8",
                "Content-Disposition": f'attachment; filename="{kind}-{report["from"]}'
                f'-{report["to"]}.csv"',
            },
        )
    return report


@route(
    bp,
    "/reports/care",
    role="manager",
    query=models.ReportQuery,
    response=models.CareReport,
    produces=REPORT_MEDIA,
)
def care_report(query: ReportQuery) -> Any:
    """Care: response and resolution times, SLA outcomes, by team/agent/network/priority/week."""
    return _report("care", query)


@route(
    bp,
    "/reports/listening",
    role="manager",
    query=models.ReportQuery,
    response=models.ListeningReport,
    produces=REPORT_MEDIA,
)
def listening_report(query: ReportQuery) -> Any:
    """Listening: mentions by category/rule, sentiment trend, share of voice, terms, questions."""
    return _report("listening", query)


@route(
    bp,
    "/reports/engagement",
    role="manager",
    query=models.ReportQuery,
    response=models.EngagementReport,
    produces=REPORT_MEDIA,
)
def engagement_report(query: ReportQuery) -> Any:
    """Engagement: per post and network engagement rate, clicks, followers, week over week."""
    return _report("engagement", query)


@route(
    bp,
    "/insights/best-times",
    role="agent",
    query=models.BestTimesQuery,
    response=models.BestTimes,
)
def best_times(query: BestTimesQuery) -> dict[str, Any]:
    """Weekday × hour grid of expected engagement rate in the brand's zone, with top slots."""
    from chalicelib.measure.besttimes import best_times as estimate

    return estimate(query.network)


@route(
    bp,
    "/insights/observations",
    methods=("POST",),
    role="manager",
    upload=models.ObservationUpload,
    response=models.ObservationsStored,
    status=201,
    errors=(400, 413, 422),
    content_types=["application/json", "text/csv"],
)
def add_observations() -> dict[str, Any]:
    """Add competitors' public posts with their engagement (a JSON list, or a CSV upload)."""
    from chalicelib.measure.observations import upload

    request = bp.current_request
    return upload(raw_body(request), request.headers.get("content-type", ""))
