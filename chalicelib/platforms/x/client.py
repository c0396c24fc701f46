"""X API v2: `POST /2/tweets` (posts and replies) and DMs (`/2/dm_conversations/...`).

Authentication is a user-context OAuth 2.0 bearer token (`X_ACCESS_TOKEN`). X sends no
`Retry-After`: a 429 carries `x-rate-limit-reset` (epoch seconds), from which the wait is
computed. Errors are v2 problem objects (`detail`, `title`) or the v1.1 `errors[].message` shape.
A mention's DM conversation id is X's own `<low id>-<high id>`, so a reply to a DM mention goes
back into that conversation; a private reply to a public mention opens a DM with its author.
"""

from __future__ import annotations

import time
from typing import Any

from chalicelib.platforms import http
from chalicelib.platforms.outbound import PostRequest, ReplyTarget, SendResult
from chalicelib.platforms.x.ids import DmConversation, post_url
from chalicelib.settings import get_settings


class XClient(http.JsonClient):
    platform = "x"

    def base_url(self) -> str:
        return get_settings().x_api_base

    def post_metrics(self, post_ids: list[str]) -> dict[str, dict[str, int]] | SendResult:
        """`public_metrics` of our posts, 100 ids per `GET /2/tweets` (X's lookup limit). A
        deleted post is simply absent from the answer."""
        found: dict[str, dict[str, int]] = {}
        for start in range(0, len(post_ids), 100):
            ids = ",".join(post_ids[start : start + 100])
            answer = self.call(
                "post_metrics", "GET", f"/2/tweets?ids={ids}&tweet.fields=public_metrics"
            )
            if isinstance(answer, SendResult):
                return answer
            body = answer.object()
            if answer.status != 200:
                return self.refusal(answer)
            for tweet in body.get("data") or []:
                metrics = tweet.get("public_metrics") if isinstance(tweet, dict) else None
                if isinstance(metrics, dict) and tweet.get("id"):
                    found[str(tweet["id"])] = {
                        k: int(v) for k, v in metrics.items() if isinstance(v, int)
                    }
        return found

    def follower_count(self, account_id: str) -> int | SendResult:
        if refused := http.bad_account(self.platform, account_id):
            return refused
        answer = self.call(
            "follower_count", "GET", f"/2/users/{account_id}?user.fields=public_metrics"
        )
        if isinstance(answer, SendResult):
            return answer
        data = answer.object().get("data")
        metrics = data.get("public_metrics") if isinstance(data, dict) else None
        if answer.status == 200 and isinstance(metrics, dict) and "followers_count" in metrics:
            return int(metrics["followers_count"])
        return self.refusal(answer)

    def create_post(self, text: str, *, in_reply_to: str | None = None) -> SendResult:
        if not text:
            return http.permanent("a post needs text")
        body: dict[str, Any] = {"text": text}
        if in_reply_to:
            body["reply"] = {"in_reply_to_tweet_id": in_reply_to}
        answer = self.call("create_post", "POST", "/2/tweets", body)
        if isinstance(answer, SendResult):
            return answer
        data = answer.object().get("data")
        if answer.status in (200, 201) and isinstance(data, dict) and data.get("id"):
            post_id = str(data["id"])
            return http.ok(post_id, post_url(post_id), answer)
        return self.refusal(answer)

    def send_dm(
        self, text: str, *, conversation_id: str | None = None, participant_id: str | None = None
    ) -> SendResult:
        if not text:
            return http.permanent("a DM needs text")
        if conversation_id:
            path = f"/2/dm_conversations/{conversation_id}/messages"
        elif participant_id:
            path = f"/2/dm_conversations/with/{participant_id}/messages"
        else:
            return http.permanent("a DM needs a conversation id or a participant id")
        answer = self.call("send_dm", "POST", path, {"text": text})
        if isinstance(answer, SendResult):
            return answer
        data = answer.object().get("data")
        if answer.status in (200, 201) and isinstance(data, dict) and data.get("dm_event_id"):
            conversation = str(data.get("dm_conversation_id") or conversation_id or "")
            url = f"https://x.com/messages/{conversation}" if conversation else None
            return http.ok(str(data["dm_event_id"]), url, answer)
        return self.refusal(answer)

    def send_reply(self, target: ReplyTarget, text: str) -> SendResult:
        if DmConversation.decode(target.conversation_id) is not None:
            return self.send_dm(text, conversation_id=target.conversation_id)
        if target.private:
            return self.send_dm(text, participant_id=target.recipient_id)
        return self.create_post(text, in_reply_to=target.reply_to_id or target.conversation_id)

    def publish(self, post: PostRequest) -> SendResult:
        if post.media_urls:
            # Media must first go through X's chunked media upload, which this client lacks.
            return http.permanent("X posts with media are not supported yet: publish text only")
        return self.create_post(post.text_with_link(" "))

    def refusal(self, answer: http.Answer) -> SendResult:
        """v2 problem objects (`detail`, `title`) or v1.1 `errors[].message`; a 429's wait is
        computed from `x-rate-limit-reset` (X sends no `Retry-After`)."""
        body = answer.object()
        message = body.get("detail") or body.get("title") or ""
        errors = body.get("errors")
        if not message and isinstance(errors, list) and errors and isinstance(errors[0], dict):
            message = errors[0].get("message") or errors[0].get("detail") or ""
        retry_after = None
        reset = answer.header("x-rate-limit-reset")
        if answer.status == 429 and reset and reset.isdigit():
            retry_after = max(0.0, int(reset) - time.time())
        return http.failure(answer, str(message), retry_after=retry_after)
