"""Planning and publishing: posts and their schedule, the calendar and its cadence rules, and
tracked links."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from chalice import Blueprint, Response

from chalicelib.http import LazyModels, ModelRef, route
from chalicelib.vocabulary import LINK_CODE_PATTERN, POST_ID_PATTERN

if TYPE_CHECKING:
    from chalicelib.publishing.models import (
        CadenceIn,
        CalendarQuery,
        LinkIn,
        NextSlotQuery,
        PostIn,
        PostPatch,
        PostQuery,
        ScheduleIn,
    )
    from chalicelib.shapes import PageQuery

bp = Blueprint(__name__)
models = LazyModels("chalicelib.publishing.models")
PageQueryModel = ModelRef("chalicelib.shapes", "PageQuery")

POST = {"post_id": POST_ID_PATTERN}
CODE = {"code": LINK_CODE_PATTERN}


def _link_base() -> str:
    """Where short links point: CARE_LINK_BASE_URL, else this API's own host."""
    from chalicelib.settings import get_settings

    configured = get_settings().link_base_url
    if configured:
        return configured
    headers = bp.current_request.headers
    host = headers.get("host", "")
    if not host:
        return ""
    local = host.startswith(("127.0.0.1", "localhost"))
    return f"{headers.get('x-forwarded-proto') or ('http' if local else 'https')}://{host}"


def _principal() -> Any:
    from chalicelib.auth import current_principal

    return current_principal()


@route(
    bp,
    "/posts",
    methods=("POST",),
    role="agent",
    body=models.PostIn,
    response=models.Post,
    status=201,
)
def create_post(body: PostIn) -> dict[str, Any]:
    """Plan a post: a draft, or scheduled when it carries `scheduled_at`."""
    from chalicelib.publishing import posts

    return posts.create(body, _principal())


@route(bp, "/posts", role="agent", query=models.PostQuery, response=models.PostPage)
def list_posts(query: PostQuery) -> dict[str, Any]:
    """Posts, newest first, by status and network."""
    from chalicelib.publishing import posts

    items, cursor = posts.list_posts(**query.model_dump())
    return {"items": items, "next_cursor": cursor}


@route(bp, "/posts/{post_id}", role="agent", ids=POST, response=models.Post)
def get_post(post_id: str) -> dict[str, Any]:
    """One post, with its publishing outcome."""
    from chalicelib.publishing import posts

    return posts.get(post_id)


@route(
    bp,
    "/posts/{post_id}",
    methods=("PATCH",),
    role="agent",
    ids=POST,
    body=models.PostPatch,
    response=models.Post,
    errors=(409,),
)
def update_post(post_id: str, body: PostPatch) -> dict[str, Any]:
    """Edit a post that is not published yet (an approved post returns to draft)."""
    from chalicelib.publishing import posts

    return posts.update(post_id, body, _principal())


@route(bp, "/posts/{post_id}", methods=("DELETE",), role="agent", ids=POST, errors=(409,))
def delete_post(post_id: str) -> None:
    """Delete a post that is not published or being published."""
    from chalicelib.publishing import posts

    posts.delete(post_id)


@route(
    bp,
    "/posts/{post_id}/schedule",
    methods=("POST",),
    role="agent",
    ids=POST,
    body=models.ScheduleIn,
    optional_body=True,
    response=models.Post,
    errors=(409,),
)
def schedule_post(post_id: str, body: ScheduleIn) -> dict[str, Any]:
    """Schedule a post (at its time, the next free slot, or waiting for approval)."""
    from chalicelib.publishing import posts

    return posts.schedule(post_id, body, _principal(), base_url=_link_base())


@route(
    bp,
    "/posts/{post_id}/approve",
    methods=("POST",),
    role="manager",
    ids=POST,
    response=models.Post,
    errors=(409,),
)
def approve_post(post_id: str) -> dict[str, Any]:
    """Approve a post waiting for a manager."""
    from chalicelib.publishing import posts

    return posts.approve(post_id, _principal())


@route(
    bp,
    "/posts/{post_id}/cancel",
    methods=("POST",),
    role="agent",
    ids=POST,
    response=models.Post,
    errors=(409,),
)
def cancel_post(post_id: str) -> dict[str, Any]:
    """Cancel a scheduled post."""
    from chalicelib.publishing import posts

    return posts.cancel(post_id, _principal())


@route(bp, "/calendar", role="agent", query=models.CalendarQuery, response=models.PostCalendar)
def get_calendar(query: CalendarQuery) -> dict[str, Any]:
    """Posts and free slots between two times, in a zone."""
    from chalicelib.publishing import cadence, times

    start = times.parse_time(query.from_, query.tz, field="from")
    end = times.parse_time(query.to, query.tz, field="to")
    return cadence.calendar(start, end, query.tz, query.network)


@route(
    bp,
    "/calendar",
    methods=("PUT",),
    role="manager",
    body=models.CadenceIn,
    response=models.CadenceIn,
)
def put_cadence(body: CadenceIn) -> dict[str, Any]:
    """Set a network's (or account's) cadence: posts per day, gaps, posting windows."""
    from chalicelib.publishing import cadence

    return cadence.save_rule(body.model_dump(mode="json"))


@route(bp, "/calendar/next-slot", role="agent", query=models.NextSlotQuery, response=models.Slot)
def next_slot(query: NextSlotQuery) -> dict[str, Any]:
    """The next time the cadence allows a post on an account."""
    from chalicelib.models import utcnow
    from chalicelib.publishing import cadence, times

    now = utcnow()
    after = times.parse_time(query.after, query.tz, field="after") if query.after else now
    return cadence.next_slot(
        query.network, query.account_id, max(after, now), prefer_best=query.prefer == "best_times"
    )


@route(
    bp,
    "/links",
    methods=("POST",),
    role="agent",
    body=models.LinkIn,
    response=models.Link,
    status=201,
    errors=(409,),
)
def create_link(body: LinkIn) -> dict[str, Any]:
    """Shorten a link, with UTM tags, to count its clicks."""
    from chalicelib.publishing import links

    principal = _principal()
    return links.create(
        target=body.target,
        utm=body.utm.model_dump(exclude_none=True) if body.utm else None,
        code=body.code,
        created_by=principal.token_id if principal else None,
        base_url=_link_base(),
    )


@route(bp, "/links", role="agent", query=PageQueryModel, response=models.LinkPage)
def list_links(query: PageQuery) -> dict[str, Any]:
    """Tracked links with their click counts."""
    from chalicelib.publishing import links

    items, cursor = links.list_links(limit=query.limit, cursor=query.cursor, base_url=_link_base())
    return {"items": items, "next_cursor": cursor}


@route(bp, "/links/{code}", role="agent", ids=CODE, response=models.Link)
def get_link(code: str) -> dict[str, Any]:
    """One tracked link."""
    from chalicelib.publishing import links

    return links.get(code, base_url=_link_base())


@route(bp, "/l/{code}", ids=CODE, status=302, strict_query=False)
def follow_link(code: str) -> Response:
    """Count a click and redirect to the link's target."""
    from chalicelib.publishing import links

    target = links.follow(code)
    return Response(
        body="", status_code=302, headers={"Location": target, "Cache-Control": "no-store"}
    )
