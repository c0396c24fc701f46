"""Meta Graph API for Instagram and Facebook Pages (one token, `META_ACCESS_TOKEN`).

- Instagram: posts are a container (`POST /{ig-user}/media`; a carousel for several images) then
  `POST /{ig-user}/media_publish`; comment replies `POST /{comment}/replies`.
- Facebook Page: `POST /{page}/feed` (photos uploaded unpublished and attached), comment replies
  `POST /{comment}/comments`.
- Both: private replies to a comment and DM answers through the Send API (`POST /me/messages`,
  where `me` is the Page the token belongs to).
A mention's DM conversation id is `dm:<user id>` (`meta/ids.py`), which routes a reply to the
Send API. `InstagramClient` and `PageClient` share `GraphClient` and differ where the objects do.
Graph errors (`error.message`, `code`) are permanent unless Meta marks them
transient or they are throttles (codes 1, 2, 4, 17, 32, 341, 613, 80001-80009, IG publishing limit
9/2207042); the wait comes from `Retry-After` or the usage headers'
`estimated_time_to_regain_access`.
"""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import datetime
from typing import Any

from chalicelib.platforms import http
from chalicelib.platforms.meta.ids import DmConversation, PagePostId
from chalicelib.platforms.outbound import PostRequest, ReplyTarget, SendResult
from chalicelib.settings import get_settings

THROTTLE_CODES = {1, 2, 4, 17, 32, 341, 613, *range(80001, 80010)}
IG_PUBLISH_LIMIT = (9, 2207042)
MAX_CAROUSEL = 10
FIND_LIMIT = 100
USAGE_HEADERS = ("x-business-use-case-usage", "x-app-usage", "x-ad-account-usage")


class GraphClient(http.JsonClient):
    """What Instagram and Pages share: the Graph transport and its errors, DMs and private
    replies through the Send API, follower counts."""

    comment_edge = ""

    def base_url(self) -> str:
        return get_settings().meta_graph_api_base

    def graph(
        self, operation: str, method: str, path: str, body: dict[str, Any] | None = None
    ) -> dict[str, Any] | SendResult:
        """One Graph call: the answer's JSON on success, else the outcome to report."""
        answer = self.call(operation, method, path, body)
        if isinstance(answer, SendResult):
            return answer
        data = answer.json()
        if 200 <= answer.status < 300 and isinstance(data, dict) and "error" not in data:
            return data
        return self.refusal(answer)

    def refusal(self, answer: http.Answer) -> SendResult:
        error = answer.object().get("error")
        error = error if isinstance(error, dict) else {}
        code, subcode = error.get("code"), error.get("error_subcode")
        message = str(error.get("error_user_msg") or error.get("message") or "")
        transient = (
            bool(error.get("is_transient"))
            or code in THROTTLE_CODES
            or (code, subcode) == IG_PUBLISH_LIMIT
        )
        return http.failure(
            answer, message, retry_after=_regain_seconds(answer), transient=transient
        )

    def _created(self, operation: str, path: str, body: dict[str, Any]) -> SendResult:
        data = self.graph(operation, "POST", path, body)
        if isinstance(data, SendResult):
            return data
        created = data.get("message_id") or data.get("post_id") or data.get("id")
        if not created:
            return SendResult(
                outcome="unknown", message="created but unreadable: no id from Graph", raw=data
            )
        return SendResult(
            outcome="ok", platform_id=str(created), url=self.url_of(str(created)), raw=data
        )

    def url_of(self, object_id: str) -> str | None:  # noqa: ARG002
        return None

    # --- metrics ------------------------------------------------------------------------------

    def metrics_path(self, post_id: str) -> str:
        raise NotImplementedError

    def read_metrics(self, data: dict[str, Any]) -> dict[str, int]:
        raise NotImplementedError

    def post_metrics(self, post_ids: list[str]) -> dict[str, dict[str, int]] | SendResult:
        """One call per post. A post Meta will not report on (too few viewers, deleted: a
        permanent error) is skipped; a throttle or outage stops the pull and is reported."""
        found: dict[str, dict[str, int]] = {}
        for post_id in post_ids:
            data = self.graph("post_metrics", "GET", self.metrics_path(post_id))
            if isinstance(data, SendResult):
                if data.outcome == "permanent":
                    continue
                return data
            found[post_id] = self.read_metrics(data)
        return found

    def follower_count(self, account_id: str) -> int | SendResult:
        if refused := http.bad_account(self.platform, account_id):
            return refused
        data = self.graph("follower_count", "GET", f"{account_id}?fields=followers_count")
        if isinstance(data, SendResult):
            return data
        value = data.get("followers_count")
        if isinstance(value, int):
            return value
        return SendResult(outcome="permanent", message="no followers_count in the answer")

    # --- replies ------------------------------------------------------------------------------

    def send_message(self, recipient_id: str, text: str) -> SendResult:
        """A DM answer inside the 24 h window the user's message opened."""
        body = {
            "recipient": {"id": recipient_id},
            "messaging_type": "RESPONSE",
            "message": {"text": text},
        }
        return self._created("send_message", "me/messages", body)

    def private_reply(
        self, text: str, *, comment_id: str | None = None, post_id: str | None = None
    ) -> SendResult:
        """One DM to the author of a comment (or visitor post), within 7 days of it."""
        recipient = {"comment_id": comment_id} if comment_id else {"post_id": post_id}
        if not comment_id and not post_id:
            return http.permanent("a private reply needs the comment (or post) id")
        body = {"recipient": recipient, "message": {"text": text}}
        return self._created("private_reply", "me/messages", body)

    def reply_to_comment(self, comment_id: str, text: str) -> SendResult:
        return self._created(
            "reply_to_comment", f"{comment_id}/{self.comment_edge}", {"message": text}
        )

    def comment_to_answer(self, target: ReplyTarget) -> str | None:
        return target.reply_to_id

    def send_reply(self, target: ReplyTarget, text: str) -> SendResult:
        if not text:
            return http.permanent("a reply needs text")
        dm = DmConversation.decode(target.conversation_id)
        if dm is not None:
            return self.send_message(target.recipient_id or dm.user_id, text)
        if target.private:
            if target.reply_to_id:
                return self.private_reply(text, comment_id=target.reply_to_id)
            return self.private_reply(text, post_id=target.conversation_id)
        comment = self.comment_to_answer(target)
        if not comment:
            return http.permanent("an Instagram reply needs the comment id (reply_to_id)")
        return self.reply_to_comment(comment, text)

    # --- publishing ---------------------------------------------------------------------------

    def publish_text(self, account_id: str, post: PostRequest) -> SendResult:
        raise NotImplementedError

    def publish(self, post: PostRequest) -> SendResult:
        if refused := http.bad_account(self.platform, post.account_id):
            return refused
        return self.publish_text(post.account_id, post)


class InstagramClient(GraphClient):
    """Posts are a container (a carousel for several images) then `media_publish`; comment
    replies go to `/{comment}/replies`; metrics are media insights."""

    platform = "instagram"
    comment_edge = "replies"
    METRICS = "reach,likes,comments,shares,saved,views"

    def metrics_path(self, post_id: str) -> str:
        return f"{post_id}/insights?metric={self.METRICS}"

    def read_metrics(self, data: dict[str, Any]) -> dict[str, int]:
        return _insights(data)

    def create_container(self, ig_user_id: str, body: dict[str, Any]) -> str | SendResult:
        data = self.graph("create_container", "POST", f"{ig_user_id}/media", body)
        if isinstance(data, SendResult):
            return data
        return str(data.get("id") or "") or SendResult(
            outcome="permanent", message="no container id in the answer", raw=data
        )

    def publish_container(self, ig_user_id: str, container_id: str) -> SendResult:
        data = self.graph(
            "media_publish", "POST", f"{ig_user_id}/media_publish", {"creation_id": container_id}
        )
        if isinstance(data, SendResult):
            return replace(data, raw={**data.raw, "container": container_id})
        media_id = str(data.get("id") or "")
        if not media_id:
            return SendResult(
                outcome="unknown", message="created but unreadable: no media id", raw=data
            )
        permalink = self.graph("permalink", "GET", f"{media_id}?fields=permalink")
        url = permalink.get("permalink") if isinstance(permalink, dict) else None
        return SendResult(outcome="ok", platform_id=media_id, url=url, raw=data)

    def content_publishing_limit(self, ig_user_id: str) -> tuple[int, int] | SendResult:
        """(posts used, posts allowed) in Instagram's moving 24 h window; read it, don't assume."""
        data = self.graph(
            "publishing_limit",
            "GET",
            f"{ig_user_id}/content_publishing_limit?fields=quota_usage,config",
        )
        if isinstance(data, SendResult):
            return data
        rows = data.get("data") or [{}]
        row = rows[0] if isinstance(rows, list) and rows else {}
        return int(row.get("quota_usage", 0)), int((row.get("config") or {}).get("quota_total", 0))

    def publish_text(self, account_id: str, post: PostRequest) -> SendResult:
        media, caption = list(post.media_urls), post.text_with_link()
        if not media:
            return http.permanent("an Instagram post needs at least one image (JPEG URL)")
        if len(media) > MAX_CAROUSEL:
            return http.permanent(f"an Instagram carousel has at most {MAX_CAROUSEL} images")
        if len(media) == 1:
            container = self.create_container(
                account_id, {"image_url": media[0], "caption": caption}
            )
        else:
            children = []
            for url in media:
                child = self.create_container(
                    account_id, {"image_url": url, "is_carousel_item": True}
                )
                if isinstance(child, SendResult):
                    return child
                children.append(child)
            container = self.create_container(
                account_id,
                {"media_type": "CAROUSEL", "children": ",".join(children), "caption": caption},
            )
        if isinstance(container, SendResult):
            return container
        return self.publish_container(account_id, container)


class PageClient(GraphClient):
    """Posts go to `/{page}/feed` (photos uploaded unpublished and attached, or one photo to
    `/{page}/photos`); comment replies to `/{comment}/comments`; a reply without a comment id
    answers the post itself."""

    platform = "facebook"
    comment_edge = "comments"
    FIELDS = (
        "shares,comments.summary(true).limit(0),reactions.summary(true).limit(0),"
        "insights.metric(post_impressions_unique,post_clicks)"
    )

    def url_of(self, object_id: str) -> str | None:
        post = PagePostId.decode(object_id)
        return post.url() if post else None

    def metrics_path(self, post_id: str) -> str:
        return f"{post_id}?fields={self.FIELDS}"

    def read_metrics(self, data: dict[str, Any]) -> dict[str, int]:
        return _facebook_metrics(data)

    def comment_to_answer(self, target: ReplyTarget) -> str | None:
        return target.reply_to_id or target.conversation_id

    def find_post(self, post: PostRequest, since: datetime) -> SendResult:
        """Our Page's posts since `since`, matched on their text (what `publish` sent as the
        message or caption). Only a complete listing without a match is `permanent`: a refused
        or paged listing cannot prove the post absent, so it is `unknown` (asked again later)."""
        if refused := http.bad_account(self.platform, post.account_id):
            return refused
        path = (
            f"{post.account_id}/posts?fields=id,message,permalink_url"
            f"&since={int(since.timestamp()) - 60}&limit={FIND_LIMIT}"
        )
        data = self.graph("find_post", "GET", path)
        if isinstance(data, SendResult):
            if data.outcome == "permanent":
                return replace(data, outcome="unknown", message=f"lookup refused: {data.message}")
            return data
        rows = data.get("data")
        text = post.text_with_link()
        for row in rows if isinstance(rows, list) else []:
            if isinstance(row, dict) and row.get("id") and row.get("message") == text:
                post_id = str(row["id"])
                url = row.get("permalink_url") or self.url_of(post_id)
                return SendResult(outcome="ok", platform_id=post_id, url=url, raw=row)
        if (data.get("paging") or {}).get("next"):
            return SendResult(outcome="unknown", message="more posts than one page: not found yet")
        return SendResult(outcome="permanent", message="no such post on the Page")

    def publish_text(self, account_id: str, post: PostRequest) -> SendResult:
        media, text = list(post.media_urls), post.text_with_link()
        if len(media) == 1:
            return self._created(
                "photo", f"{account_id}/photos", {"url": media[0], "caption": text}
            )
        body: dict[str, Any] = {"message": text}
        if post.link and not media:
            body["link"] = post.link
        if media:
            attached = []
            for url in media:
                photo = self.graph(
                    "photo", "POST", f"{account_id}/photos", {"url": url, "published": False}
                )
                if isinstance(photo, SendResult):
                    return photo
                attached.append({"media_fbid": str(photo.get("id"))})
            body["attached_media"] = attached
        return self._created("feed", f"{account_id}/feed", body)


def _insights(data: dict[str, Any]) -> dict[str, int]:
    """Graph insights rows (`values[0].value` or `total_value.value`) → {name: value}."""
    out: dict[str, int] = {}
    rows = data.get("data")
    for row in rows if isinstance(rows, list) else []:
        if not isinstance(row, dict) or not row.get("name"):
            continue
        value = (row.get("total_value") or {}).get("value")
        if value is None and row.get("values"):
            value = (row["values"][-1] or {}).get("value")
        if isinstance(value, int | float):
            out[str(row["name"])] = int(value)
    return out


def _facebook_metrics(data: dict[str, Any]) -> dict[str, int]:
    insights = _insights(data.get("insights") or {})
    out = {
        "shares": int((data.get("shares") or {}).get("count", 0)),
        "comments": int(((data.get("comments") or {}).get("summary") or {}).get("total_count", 0)),
        "reactions": int(
            ((data.get("reactions") or {}).get("summary") or {}).get("total_count", 0)
        ),
    }
    if "post_impressions_unique" in insights:
        out["reach"] = insights["post_impressions_unique"]
    if "post_clicks" in insights:
        out["clicks"] = insights["post_clicks"]
    return out


def _regain_seconds(answer: http.Answer) -> float | None:
    """Meta's usage headers say, in minutes, when a throttled app or Page may call again."""
    waits: list[float] = []
    for name in USAGE_HEADERS:
        value = answer.header(name)
        if not value:
            continue
        try:
            usage = json.loads(value)
        except ValueError:
            continue
        if not isinstance(usage, dict):
            continue
        # x-business-use-case-usage: {id: [rows]}; x-app-usage: one flat row.
        rows = [r for group in usage.values() if isinstance(group, list) for r in group]
        rows.append(usage)
        for row in rows:
            minutes = row.get("estimated_time_to_regain_access") if isinstance(row, dict) else None
            if isinstance(minutes, int | float) and minutes > 0:
                waits.append(minutes * 60.0)
    return max(waits) if waits else http.retry_after_header(answer)
