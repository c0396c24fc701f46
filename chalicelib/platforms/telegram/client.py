"""Telegram Bot API: `sendMessage`, `sendPhoto`, `sendMediaGroup`, replies via `reply_parameters`,
a satisfaction question with an inline keyboard and `answerCallbackQuery` for its taps.

Chats are numeric ids or `@channelname`. Ids follow the inbound adapter: a mention's platform id is
`<chat>:<message>` and a comment thread's conversation is `<chat>:<thread>`, so a `ReplyTarget`
built from a mention routes back to the same chat, thread and message. Flood control answers 429
with `parameters.retry_after`, which is the wait we report; the description is never parsed.
"""

from __future__ import annotations

from typing import Any

from chalicelib.platforms import http
from chalicelib.platforms.outbound import PostRequest, ReplyTarget, ScoreQuestion, SendResult
from chalicelib.platforms.telegram.ids import (
    Conversation,
    ScoreButton,
    chat_param,
    reply_to_message,
)
from chalicelib.settings import get_settings

MAX_TEXT = 4096
MAX_CAPTION = 1024
MAX_MEDIA_GROUP = 10
MAX_CALLBACK_ANSWER = 200


class TelegramClient(http.JsonClient):
    """The bot token goes in the path (`/bot<token>/<method>`), never in a header."""

    platform = "telegram"

    def base_url(self) -> str:
        return get_settings().telegram_api_base

    def headers(self) -> dict[str, str]:
        return {}

    def method(self, method: str, params: dict[str, Any]) -> http.Answer | SendResult:
        return self.call(method, "POST", f"bot{self._token}/{method}", params)

    def send(self, method: str, params: dict[str, Any]) -> SendResult:
        """A Bot API method that creates a message: its `<chat>:<message>` id and URL."""
        answer = self.method(method, params)
        if isinstance(answer, SendResult):
            return answer
        body = answer.object()
        if answer.status == 200 and body.get("ok"):
            return _sent(body.get("result"), answer, params.get("chat_id"))
        return self.refusal(answer)

    def refusal(self, answer: http.Answer) -> SendResult:
        """Flood control's wait is `parameters.retry_after`; the description is never parsed."""
        body = answer.object()
        parameters = body.get("parameters")
        retry_after = parameters.get("retry_after") if isinstance(parameters, dict) else None
        return http.failure(
            answer,
            str(body.get("description", "")),
            retry_after=float(retry_after) if isinstance(retry_after, int | float) else None,
        )

    def follower_count(self, account_id: str) -> int | SendResult:
        """Channel subscribers (`getChatMemberCount`). Post metrics have no Bot API: views are
        MTProto-only, reactions arrive as `message_reaction_count` webhooks."""
        answer = self.method("getChatMemberCount", {"chat_id": chat_param(account_id)})
        if isinstance(answer, SendResult):
            return answer
        body = answer.object()
        if answer.status == 200 and body.get("ok") and isinstance(body.get("result"), int):
            return int(body["result"])
        return self.refusal(answer)

    def send_message(
        self,
        chat: str,
        text: str,
        *,
        reply_to_message_id: int | None = None,
        message_thread_id: int | None = None,
        parse_mode: str | None = None,
        reply_markup: dict[str, Any] | None = None,
    ) -> SendResult:
        if not 1 <= len(text) <= MAX_TEXT:
            return http.permanent(f"text must be 1-{MAX_TEXT} characters, got {len(text)}")
        params: dict[str, Any] = {"chat_id": chat_param(chat), "text": text}
        _extras(params, reply_to_message_id, message_thread_id, parse_mode)
        if reply_markup is not None:
            params["reply_markup"] = reply_markup
        return self.send("sendMessage", params)

    def send_photo(
        self,
        chat: str,
        photo: str,
        *,
        caption: str | None = None,
        reply_to_message_id: int | None = None,
        message_thread_id: int | None = None,
        parse_mode: str | None = None,
    ) -> SendResult:
        if caption and len(caption) > MAX_CAPTION:
            return http.permanent(f"a photo caption is at most {MAX_CAPTION} characters")
        params: dict[str, Any] = {"chat_id": chat_param(chat), "photo": photo}
        if caption:
            params["caption"] = caption
        _extras(params, reply_to_message_id, message_thread_id, parse_mode)
        return self.send("sendPhoto", params)

    def send_media_group(self, chat: str, photos: list[str], caption: str = "") -> SendResult:
        if not 2 <= len(photos) <= MAX_MEDIA_GROUP:
            return http.permanent(f"a media group has 2-{MAX_MEDIA_GROUP} photos")
        if len(caption) > MAX_CAPTION:
            return http.permanent(f"a photo caption is at most {MAX_CAPTION} characters")
        media = [{"type": "photo", "media": url} for url in photos]
        if caption:
            media[0]["caption"] = caption
        return self.send("sendMediaGroup", {"chat_id": chat_param(chat), "media": media})

    def send_reply(
        self, target: ReplyTarget, text: str, *, reply_markup: dict[str, Any] | None = None
    ) -> SendResult:
        if target.private:
            if not target.recipient_id:
                return http.permanent("a private Telegram reply needs recipient_id")
            # A bot can write to a user only after the user has started it; Telegram says so.
            return self.send_message(target.recipient_id, text, reply_markup=reply_markup)
        conversation = Conversation.decode(target.conversation_id)
        return self.send_message(
            conversation.chat,
            text,
            reply_to_message_id=reply_to_message(target.reply_to_id)
            if target.reply_to_id
            else None,
            message_thread_id=conversation.thread_id,
            reply_markup=reply_markup,
        )

    def ask_score(self, target: ReplyTarget, text: str, question: ScoreQuestion) -> SendResult:
        """One row of buttons, each carrying the ticket and its score (`ids.ScoreButton`)."""
        try:
            row = [
                {"text": label, "callback_data": ScoreButton(question.ticket_id, score).encode()}
                for score, label in enumerate(question.labels, start=1)
            ]
        except ValueError as exc:
            return http.permanent(str(exc))
        return self.send_reply(target, text, reply_markup={"inline_keyboard": [row]})

    def answer_button(self, callback_id: str, text: str) -> SendResult:
        """`answerCallbackQuery`: answers `true`, never a message, so `ok` carries no id."""
        params = {"callback_query_id": callback_id, "text": text[:MAX_CALLBACK_ANSWER]}
        answer = self.method("answerCallbackQuery", params)
        if isinstance(answer, SendResult):
            return answer
        if answer.status == 200 and answer.object().get("ok"):
            return SendResult(outcome="ok", status=answer.status)
        return self.refusal(answer)

    def publish(self, post: PostRequest) -> SendResult:
        if refused := http.bad_account(self.platform, post.account_id):
            return refused
        text = post.text_with_link()
        if len(post.media_urls) == 1:
            return self.send_photo(post.account_id, post.media_urls[0], caption=text)
        if post.media_urls:
            return self.send_media_group(post.account_id, list(post.media_urls), caption=text)
        return self.send_message(post.account_id, text)


def _extras(
    params: dict[str, Any],
    reply_to_message_id: int | None,
    message_thread_id: int | None,
    parse_mode: str | None,
) -> None:
    if reply_to_message_id is not None:
        # Still send when the message was deleted meanwhile: the answer is what matters.
        params["reply_parameters"] = {
            "message_id": reply_to_message_id,
            "allow_sending_without_reply": True,
        }
    if message_thread_id is not None:
        params["message_thread_id"] = message_thread_id
    if parse_mode:
        params["parse_mode"] = parse_mode


def _sent(result: Any, answer: http.Answer, requested_chat: Any) -> SendResult:
    """`ok:true` is Telegram saying it sent the message, so a result we cannot read is
    `unknown` (never a failure to retry). A chat without a public username has no URL; a chat
    that is not an object falls back to the chat we sent to."""
    message = result[0] if isinstance(result, list) and result else result
    message_id = message.get("message_id") if isinstance(message, dict) else None
    if not isinstance(message_id, int | str) or isinstance(message_id, bool) or message_id == "":
        return http.created_unreadable(answer, "no message in Telegram's answer")
    chat = message.get("chat")
    chat = chat if isinstance(chat, dict) else {}
    chat_id = chat.get("id", requested_chat)
    username = chat.get("username")
    url = (
        f"https://t.me/{username}/{message_id}" if isinstance(username, str) and username else None
    )
    return http.ok(f"{chat_id}:{message_id}", url, answer)
