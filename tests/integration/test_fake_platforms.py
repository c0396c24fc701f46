"""The fake platform server's plausible mode (what `make run` talks to): every outbound client,
real HTTP, gets a success answer with ids it can record — and `/_fake/requests` shows what came in
without the credentials. Strict mode (the tests' default) still refuses what nobody queued."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import requests

from chalicelib import settings
from chalicelib.platforms import catalogue
from chalicelib.platforms.clients import get_client
from chalicelib.platforms.outbound import PostRequest, ReplyTarget
from local.fake_platforms import PlatformServer
from tests.fakes import TOKENS


@pytest.fixture
def plausible(monkeypatch: pytest.MonkeyPatch) -> Iterator[PlatformServer]:
    with PlatformServer(plausible=True) as server:
        for row in catalogue.with_api():
            monkeypatch.setenv(str(row.base_url_env), server.url + row.fake_path)
        for name, value in TOKENS.items():
            monkeypatch.setenv(name, value)
        monkeypatch.setenv("LINKEDIN_ORGANIZATION_URN", "urn:li:organization:11223344")
        settings.get_settings.cache_clear()
        yield server
    settings.get_settings.cache_clear()


def shown(server: PlatformServer, **params: str) -> list[dict]:
    response = requests.get(f"{server.url}/_fake/requests", params=params, timeout=5)
    assert response.status_code == 200
    return response.json()["items"]


def test_telegram_replies_and_posts_come_back_with_message_ids(plausible):
    telegram = get_client("telegram")

    reply = telegram.send_reply(
        ReplyTarget(conversation_id="-1009876543210:5001", reply_to_id="-1009876543210:5002"),
        "Sorry about that!",
    )
    text = telegram.publish(PostRequest(account_id="@acme", text="Friday drop"))
    photo = telegram.publish(
        PostRequest(account_id="@acme", text="Look", media_urls=("https://cdn.example/a.jpg",))
    )
    album = telegram.publish(
        PostRequest(
            account_id="@acme",
            text="Two",
            media_urls=("https://cdn.example/a.jpg", "https://cdn.example/b.jpg"),
        )
    )

    assert [r.outcome for r in (reply, text, photo, album)] == ["ok"] * 4
    assert reply.platform_id == "-1009876543210:1001"
    channel, message = text.platform_id.split(":")
    assert int(channel) < 0
    assert text.url == f"https://t.me/acme/{message}"
    assert photo.platform_id == f"{channel}:{int(message) + 1}"  # the same channel, a new id
    assert album.url.startswith("https://t.me/acme/")
    (first,) = plausible.to("/bot999000111:AAtest-bot-token/sendPhoto")
    assert first.json()["caption"] == "Look"


def test_x_posts_replies_and_dms(plausible):
    x = get_client("x")

    posted = x.publish(PostRequest(account_id="acme", text="Hello X"))
    replied = x.send_reply(ReplyTarget(conversation_id="1870", reply_to_id="1871"), "Thanks!")
    dm = x.send_reply(ReplyTarget(conversation_id="1-2"), "In your DMs")
    opened = x.send_reply(
        ReplyTarget(conversation_id="1870", recipient_id="42", private=True), "Let's talk"
    )

    assert [r.outcome for r in (posted, replied, dm, opened)] == ["ok"] * 4
    assert posted.url == f"https://x.com/i/web/status/{posted.platform_id}"
    assert replied.platform_id != posted.platform_id
    assert dm.url == "https://x.com/messages/1-2"
    assert opened.url.startswith("https://x.com/messages/42-")


def test_meta_instagram_and_facebook_publishing_and_replies(plausible):
    instagram, facebook = get_client("instagram"), get_client("facebook")

    reel = instagram.publish(
        PostRequest(account_id="1784", text="New in", media_urls=("https://cdn.example/a.jpg",))
    )
    carousel = instagram.publish(
        PostRequest(
            account_id="1784",
            text="Both",
            media_urls=("https://cdn.example/a.jpg", "https://cdn.example/b.jpg"),
        )
    )
    page_post = facebook.publish(
        PostRequest(account_id="1000", text="Sale", link="https://acme.example/sale")
    )
    comment_reply = instagram.send_reply(
        ReplyTarget(conversation_id="1799", reply_to_id="1799_5"), "Thank you!"
    )
    private = facebook.send_reply(
        ReplyTarget(conversation_id="1000_7", reply_to_id="1000_7_9", private=True), "DM us"
    )
    dm = facebook.send_reply(ReplyTarget(conversation_id="dm:555"), "Hello")

    outcomes = [r.outcome for r in (reel, carousel, page_post, comment_reply, private, dm)]
    assert outcomes == ["ok"] * 6
    assert reel.url.startswith("https://www.instagram.com/p/")
    assert carousel.platform_id != reel.platform_id
    assert page_post.platform_id.startswith("1000_")
    assert page_post.url == f"https://www.facebook.com/{page_post.platform_id}"
    assert dm.platform_id.startswith("m_")
    # the carousel: two children, the carousel container, then publish
    containers = [r for r in plausible.requests if r.path == "/v23.0/1784/media"]
    assert len(containers) == 1 + 3


def test_linkedin_posts_and_comments(plausible):
    linkedin = get_client("linkedin")

    posted = linkedin.publish(PostRequest(account_id="urn:li:organization:1", text="Hiring!"))
    commented = linkedin.send_reply(
        ReplyTarget(conversation_id="urn:li:activity:77"), "Thanks for asking"
    )

    assert posted.outcome == commented.outcome == "ok"
    assert posted.platform_id.startswith("urn:li:share:")
    assert posted.url == f"https://www.linkedin.com/feed/update/{posted.platform_id}/"
    assert commented.platform_id.startswith("urn:li:comment:(urn:li:activity:77,")


def test_unknown_endpoints_still_answer_404_naming_the_request(plausible):
    response = requests.post(f"{plausible.url}/v23.0/1784/stories", json={}, timeout=5)

    assert response.status_code == 404
    assert "POST /v23.0/1784/stories" in response.json()["error"]


def test_strict_mode_answers_only_what_was_queued():
    with PlatformServer() as strict:
        response = requests.post(f"{strict.url}/2/tweets", json={"text": "hi"}, timeout=5)

        assert response.status_code == 404
        assert [r.path for r in strict.requests] == ["/2/tweets"]


def test_what_was_received_is_shown_without_tokens(plausible):
    get_client("telegram").publish(PostRequest(account_id="@acme", text="one"))
    get_client("x").publish(PostRequest(account_id="acme", text="two"))

    everything = shown(plausible)
    assert [(r["seq"], r["platform"], r["operation"]) for r in everything] == [
        (1, "telegram", "sendMessage"),
        (2, "x", "tweets"),
    ]
    telegram, x = everything
    assert telegram["path"] == "/bot<token>/sendMessage"
    assert "AAtest-bot-token" not in str(everything)
    assert "authorization" not in x["headers"]
    assert x["json"] == {"text": "two"}
    assert (x["status"], x["response"]["data"]["text"]) == (201, "two")
    assert telegram["at"].endswith("Z")
    assert [r["seq"] for r in shown(plausible, platform="x")] == [2]
    assert [r["seq"] for r in shown(plausible, since="1")] == [2]
    assert len(plausible.requests) == 2  # looking is not recorded
    bad = requests.get(f"{plausible.url}/_fake/requests?since=soon", timeout=5)
    assert bad.status_code == 400


def test_telegram_buttons_are_echoed_and_taps_answered(plausible):
    from chalicelib.platforms.outbound import ScoreQuestion

    telegram = get_client("telegram")

    asked = telegram.ask_score(
        ReplyTarget(conversation_id="123456789"),
        "How satisfied?",
        ScoreQuestion("T3", ("1", "2", "3", "4", "5")),
    )
    answered = telegram.answer_button("4382", "Thanks!")
    refused = telegram.answer_button("", "Thanks!")

    assert (asked.outcome, answered.outcome, refused.outcome) == ("ok", "ok", "permanent")
    sent, tap, _ = shown(plausible, platform="telegram")
    (row,) = sent["json"]["reply_markup"]["inline_keyboard"]
    assert [b["callback_data"] for b in row] == [f"csat:T3:{n}" for n in range(1, 6)]
    assert sent["response"]["result"]["reply_markup"] == sent["json"]["reply_markup"]
    assert (tap["operation"], tap["json"]) == (
        "answerCallbackQuery",
        {"callback_query_id": "4382", "text": "Thanks!"},
    )
