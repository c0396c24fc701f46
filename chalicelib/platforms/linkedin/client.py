"""LinkedIn Community Management API: organisation posts and comment replies.

Every call pins `LinkedIn-Version` (setting `LINKEDIN_API_VERSION`) and Rest.li 2.0. A new post's
URN comes back in the `x-restli-id` header of an empty 201. Comments are written as our
organisation (`LINKEDIN_ORGANIZATION_URN`) under the post (`ReplyTarget.conversation_id`, the
mention's `conversation_id`); when `reply_to_id` is a comment URN (the mention's `thread_id`) the
comment is nested under it. LinkedIn has no private replies for organisations.
Commentary uses LinkedIn's "little" text format, where unescaped reserved characters can silently
truncate a post, so they are escaped.
"""

from __future__ import annotations

import re
from typing import Any

from chalicelib.platforms import http
from chalicelib.platforms.linkedin import ids
from chalicelib.platforms.outbound import PostRequest, ReplyTarget, SendResult
from chalicelib.settings import get_settings

_RESERVED = re.compile(r"([\\|{}@\[\]()<>#*_~])")


def little_text(text: str) -> str:
    """Escape the characters LinkedIn's little format reserves."""
    return _RESERVED.sub(r"\\\1", text)


class LinkedInClient(http.JsonClient):
    platform = "linkedin"

    def base_url(self) -> str:
        return get_settings().linkedin_api_base

    def headers(self) -> dict[str, str]:
        return {
            **super().headers(),
            "LinkedIn-Version": get_settings().linkedin_api_version,
            "X-Restli-Protocol-Version": "2.0.0",
        }

    def post_metrics(self, post_urns: list[str]) -> dict[str, dict[str, int]] | SendResult:
        """Reactions (all types) and comments of each post from `socialMetadata`; a post the
        API no longer knows (404) is skipped, a throttle or outage stops the pull."""
        found: dict[str, dict[str, int]] = {}
        for urn in post_urns:
            answer = self.call(
                "post_metrics", "GET", f"/rest/socialMetadata/{ids.path_segment(urn)}"
            )
            if isinstance(answer, SendResult):
                return answer
            if answer.status == 404:
                continue
            body = answer.object()
            if answer.status != 200:
                return self.refusal(answer)
            reactions = body.get("reactionSummaries") or {}
            comments = body.get("commentSummary") or {}
            found[urn] = {
                "reactions": sum(
                    int(r.get("count", 0)) for r in reactions.values() if isinstance(r, dict)
                ),
                "comments": int(comments.get("count", 0)) if isinstance(comments, dict) else 0,
            }
        return found

    def follower_count(self, organization_urn: str) -> int | SendResult:
        if refused := http.bad_account(self.platform, organization_urn):
            return refused
        path = (
            f"/rest/networkSizes/{ids.path_segment(organization_urn)}"
            "?edgeType=COMPANY_FOLLOWED_BY_MEMBER"
        )
        answer = self.call("follower_count", "GET", path)
        if isinstance(answer, SendResult):
            return answer
        body = answer.object()
        if answer.status == 200 and isinstance(body.get("firstDegreeSize"), int):
            return int(body["firstDegreeSize"])
        return self.refusal(answer)

    def create_post(self, author: str, text: str) -> SendResult:
        if refused := http.bad_account(self.platform, author):
            return refused
        body = {
            "author": author,
            "commentary": little_text(text),
            "visibility": "PUBLIC",
            "distribution": {
                "feedDistribution": "MAIN_FEED",
                "targetEntities": [],
                "thirdPartyDistributionChannels": [],
            },
            "lifecycleState": "PUBLISHED",
            "isReshareDisabledByAuthor": False,
        }
        answer = self.call("create_post", "POST", "/rest/posts", body)
        if isinstance(answer, SendResult):
            return answer
        urn = answer.header("x-restli-id")
        if answer.status in (200, 201) and urn:
            return http.ok(urn, ids.post_url(urn), answer)
        return self.refusal(answer)

    def comment(self, post_urn: str, text: str, *, parent_comment: str | None = None) -> SendResult:
        actor = get_settings().linkedin_organization
        if not actor:
            return http.permanent("set LINKEDIN_ORGANIZATION_URN to comment as the organisation")
        body: dict[str, Any] = {"actor": actor, "object": post_urn, "message": {"text": text}}
        if parent_comment:
            body["parentComment"] = parent_comment
        path = f"/rest/socialActions/{ids.path_segment(parent_comment or post_urn)}/comments"
        answer = self.call("comment", "POST", path, body)
        if isinstance(answer, SendResult):
            return answer
        data = answer.object()
        urn = answer.header("x-restli-id") or data.get("$URN") or data.get("id")
        if 200 <= answer.status < 300 and urn:
            return http.ok(str(urn), ids.post_url(post_urn, str(urn)), answer)
        return self.refusal(answer)

    def send_reply(self, target: ReplyTarget, text: str) -> SendResult:
        if target.private:
            return http.permanent("LinkedIn has no private replies for organisations")
        if not text:
            return http.permanent("a comment needs text")
        parent = target.reply_to_id if ids.is_comment(target.reply_to_id) else None
        return self.comment(target.conversation_id, text, parent_comment=parent)

    def publish(self, post: PostRequest) -> SendResult:
        if post.media_urls:
            # Images must first go through LinkedIn's Images API upload, which this client lacks.
            return http.permanent("LinkedIn posts with media are not supported yet: text only")
        return self.create_post(post.account_id, post.text_with_link())

    def refusal(self, answer: http.Answer) -> SendResult:
        return http.failure(answer, str(answer.object().get("message") or ""))
