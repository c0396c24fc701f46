"""The Meta id formats the adapter writes on a mention and the client reads back.

- A DM conversation is `dm:<sender id>` (Messenger and Instagram alike): the prefix tells the client
  to answer through the Send API instead of a comment.
- A Page post id is Graph's `<page id>_<post id>`, and a Page comment id `<post id>_<comment id>`;
  both are what the post's and the comment's public URLs are built from.
Instagram media and comment ids are opaque numbers and need no codec.
"""

from __future__ import annotations

from dataclasses import dataclass

DM_PREFIX = "dm:"


@dataclass(frozen=True)
class DmConversation:
    user_id: str

    def encode(self) -> str:
        return f"{DM_PREFIX}{self.user_id}"

    @classmethod
    def decode(cls, value: str) -> DmConversation | None:
        """The conversation, or None when `value` is not a DM conversation."""
        if not value.startswith(DM_PREFIX) or len(value) == len(DM_PREFIX):
            return None
        return cls(value[len(DM_PREFIX) :])


@dataclass(frozen=True)
class PagePostId:
    page_id: str
    post_id: str

    def encode(self) -> str:
        return f"{self.page_id}_{self.post_id}"

    @classmethod
    def decode(cls, value: str) -> PagePostId | None:
        """The Page and post of a Graph post id, or None when it has no `_` (an Instagram id,
        a bare object id)."""
        page, sep, post = value.partition("_")
        return cls(page, post) if sep and page and post else None

    def url(self) -> str:
        return f"https://www.facebook.com/{self.encode()}"

    def comment_url(self, comment_id: str) -> str:
        """The comment's public URL: Graph's `<post>_<comment>` id names the comment by its
        last part."""
        return (
            f"https://www.facebook.com/{self.page_id}/posts/{self.post_id}"
            f"?comment_id={comment_id.split('_')[-1]}"
        )
