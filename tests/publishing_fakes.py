"""An in-memory outbound client for the publish sweep: programmable outcomes, every call recorded,
safe to call from several sweeps' threads at once."""

from __future__ import annotations

import itertools
import threading
import time
from collections import deque
from datetime import datetime

from chalicelib.platforms.outbound import PostRequest, ReplyTarget, SendResult


class FakeClient:
    def __init__(self, platform: str = "telegram", *, lookup: bool = False, delay: float = 0.0):
        self.platform = platform
        self.calls: list[PostRequest] = []
        self.lookups: list[PostRequest] = []
        self.published: dict[str, PostRequest] = {}
        self._script: deque[SendResult] = deque()
        self._lookup_script: deque[SendResult] = deque()
        self._ids = itertools.count(1000)
        self._lock = threading.Lock()
        self._delay = delay
        if lookup:
            self.find_post = self._find_post

    def then(self, *results: SendResult) -> FakeClient:
        """Answer the next publishes with these results, in order; afterwards succeed."""
        self._script.extend(results)
        return self

    def then_lookup(self, *results: SendResult) -> FakeClient:
        self._lookup_script.extend(results)
        return self

    def publish(self, post: PostRequest) -> SendResult:
        if self._delay:
            time.sleep(self._delay)
        with self._lock:
            self.calls.append(post)
            if self._script:
                result = self._script.popleft()
                if result.outcome == "unknown" and result.platform_id:
                    self.published[result.platform_id] = post  # it did go out
                return result
            platform_id = str(next(self._ids))
            self.published[platform_id] = post
            return SendResult("ok", platform_id=platform_id, url=f"https://t.me/acme/{platform_id}")

    def send_reply(self, target: ReplyTarget, text: str) -> SendResult:
        raise NotImplementedError

    def _find_post(self, post: PostRequest, since: datetime) -> SendResult:
        with self._lock:
            self.lookups.append(post)
            if self._lookup_script:
                return self._lookup_script.popleft()
            for platform_id, sent in self.published.items():
                if sent == post:
                    return SendResult(
                        "ok", platform_id=platform_id, url=f"https://t.me/acme/{platform_id}"
                    )
            return SendResult("permanent", message="not found")
