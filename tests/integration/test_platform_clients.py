"""The outbound clients against the local fake platform server, over real HTTP: the requests
they send, and how every kind of answer maps to ok / retryable / permanent / unknown."""

from __future__ import annotations

import socket
import time
from datetime import UTC, datetime

import pytest

from chalicelib.errors import NotConfigured, NotFound
from chalicelib.platforms import catalogue
from chalicelib.platforms.clients import get_client
from chalicelib.platforms.linkedin.client import LinkedInClient, little_text
from chalicelib.platforms.meta.client import InstagramClient, PageClient
from chalicelib.platforms.outbound import PostRequest, ReplyTarget
from chalicelib.platforms.telegram.client import TelegramClient
from chalicelib.platforms.x.client import XClient
from tests.fakes import TOKENS
from tests.fakes.platform_server import bad_request, ok, rate_limited, server_error, slow

TG = f"/bot{TOKENS['TELEGRAM_BOT_TOKEN']}"


def tg_message(message_id: int, chat: dict | None = None) -> dict:
    chat = chat or {"id": -1009876543210, "type": "supergroup", "title": "ACME Store Chat"}
    return {"ok": True, "result": {"message_id": message_id, "chat": chat, "date": 1}}


# --- get_client -------------------------------------------------------------------------------


KINDS = {
    "telegram": TelegramClient,
    "x": XClient,
    "instagram": InstagramClient,
    "facebook": PageClient,
    "linkedin": LinkedInClient,
}


@pytest.mark.parametrize("platform", catalogue.network_names())
def test_get_client_builds_each_platforms_client(platform_server, platform):
    client = get_client(platform)

    assert isinstance(client, KINDS[platform])
    assert client.platform == platform


def test_get_client_without_a_token_is_not_configured(platform_server, monkeypatch):
    monkeypatch.delenv("X_ACCESS_TOKEN")
    with pytest.raises(NotConfigured, match="X_ACCESS_TOKEN"):
        get_client("x")


def test_get_client_for_an_unknown_platform_is_not_found():
    with pytest.raises(NotFound):
        get_client("myspace")


# --- Telegram ---------------------------------------------------------------------------------


def test_telegram_reply_to_a_comment_goes_to_its_thread_and_message(platform_server):
    platform_server.queue(f"{TG}/sendMessage", ok(tg_message(77)))

    result = get_client("telegram").send_reply(
        ReplyTarget(conversation_id="-1009876543210:5001", reply_to_id="-1009876543210:5002"),
        "ممنون، پیگیری می\u200cکنیم",
    )

    assert result.outcome == "ok"
    assert result.platform_id == "-1009876543210:77"
    (sent,) = platform_server.to(f"{TG}/sendMessage")
    assert sent.json() == {
        "chat_id": -1009876543210,
        "text": "ممنون، پیگیری می\u200cکنیم",
        "reply_parameters": {"message_id": 5002, "allow_sending_without_reply": True},
        "message_thread_id": 5001,
    }


def test_telegram_publishes_a_photo_post_to_a_channel_name(platform_server):
    channel = {"id": -1001234567890, "type": "channel", "username": "acme_store"}
    platform_server.queue(f"{TG}/sendPhoto", ok(tg_message(311, channel)))

    result = get_client("telegram").publish(
        PostRequest(account_id="@acme_store", text="New drop", media_urls=("https://x/y.jpg",))
    )

    assert (result.outcome, result.url) == ("ok", "https://t.me/acme_store/311")
    (sent,) = platform_server.to(f"{TG}/sendPhoto")
    assert sent.json() == {
        "chat_id": "@acme_store",
        "photo": "https://x/y.jpg",
        "caption": "New drop",
    }


def test_telegram_flood_control_is_retryable_after_the_wait_it_asks_for(platform_server):
    platform_server.queue(
        f"{TG}/sendMessage",
        rate_limited(
            {
                "ok": False,
                "error_code": 429,
                "description": "Too Many Requests: retry after 35",
                "parameters": {"retry_after": 35},
            }
        ),
    )

    result = get_client("telegram").publish(PostRequest(account_id="@acme_store", text="hi"))

    assert (result.outcome, result.retry_after, result.status) == ("retryable", 35, 429)


def test_telegram_chat_not_found_is_permanent_with_telegrams_words(platform_server):
    platform_server.queue(
        f"{TG}/sendMessage",
        bad_request({"ok": False, "error_code": 400, "description": "Bad Request: chat not found"}),
    )

    result = get_client("telegram").publish(PostRequest(account_id="@nobody", text="hi"))

    assert result.outcome == "permanent"
    assert result.message == "Bad Request: chat not found"


def test_text_too_long_for_telegram_is_refused_without_a_call(platform_server):
    result = get_client("telegram").publish(PostRequest(account_id="1", text="a" * 4097))

    assert result.outcome == "permanent"
    assert platform_server.requests == []


def test_a_read_timeout_after_sending_is_unknown_and_the_token_is_not_logged(
    platform_server, caplog
):
    platform_server.queue(f"{TG}/sendMessage", slow(2.0, ok(tg_message(1))))

    started = time.perf_counter()
    result = get_client("telegram").publish(PostRequest(account_id="1", text="hi"))

    assert result.outcome == "unknown"
    assert time.perf_counter() - started < 1.5  # the read timeout (0.5 s), not the 2 s answer
    assert len(platform_server.requests) == 1  # sent once, never retried blindly
    logged = " ".join(str(record.__dict__) for record in caplog.records)
    assert "platform call failed" in logged
    assert "read timeout" in logged
    assert TOKENS["TELEGRAM_BOT_TOKEN"] not in logged


def test_a_500_is_retryable(platform_server):
    platform_server.queue(f"{TG}/sendMessage", server_error())

    result = get_client("telegram").publish(PostRequest(account_id="1", text="hi"))

    assert (result.outcome, result.status) == ("retryable", 500)


def test_a_platform_that_cannot_be_reached_is_retryable(platform_server, monkeypatch):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        closed_port = probe.getsockname()[1]
    monkeypatch.setenv("X_API_BASE", f"http://127.0.0.1:{closed_port}")
    from chalicelib import settings

    settings.get_settings.cache_clear()

    result = get_client("x").publish(PostRequest(account_id="me", text="hello"))

    assert result.outcome == "retryable"
    assert result.message.startswith("could not connect")


def test_connections_are_reused_between_calls(platform_server):
    platform_server.queue(f"{TG}/sendMessage", ok(tg_message(1)), ok(tg_message(2)))
    client = get_client("telegram")

    client.publish(PostRequest(account_id="1", text="one"))
    client.publish(PostRequest(account_id="1", text="two"))

    first, second = platform_server.requests
    assert first.peer == second.peer


# --- X ----------------------------------------------------------------------------------------


def test_x_reply_posts_with_in_reply_to_and_the_user_token(platform_server):
    platform_server.queue(
        "/2/tweets", ok({"data": {"id": "1874000000000000777", "text": "t"}}, status=201)
    )

    result = get_client("x").send_reply(
        ReplyTarget(conversation_id="1874000000000000001", reply_to_id="1874000000000000001"),
        "ممنون از پیامتون، پیگیری می\u200cکنیم 🙏",
    )

    assert result.outcome == "ok"
    assert result.platform_id == "1874000000000000777"
    assert result.url == "https://x.com/i/web/status/1874000000000000777"
    (sent,) = platform_server.requests
    assert sent.headers["authorization"] == f"Bearer {TOKENS['X_ACCESS_TOKEN']}"
    assert sent.json()["reply"] == {"in_reply_to_tweet_id": "1874000000000000001"}


def test_x_rate_limit_waits_until_the_reset_time(platform_server):
    reset = int(time.time()) + 60
    platform_server.queue(
        "/2/tweets",
        rate_limited(
            {"title": "Too Many Requests", "detail": "Too Many Requests", "status": 429},
            headers={"x-rate-limit-remaining": "0", "x-rate-limit-reset": str(reset)},
        ),
    )

    result = get_client("x").publish(PostRequest(account_id="me", text="hello"))

    assert result.outcome == "retryable"
    assert 55 <= result.retry_after <= 61


def test_x_duplicate_content_is_permanent_with_xs_message(platform_server):
    detail = "You are not allowed to create a Tweet with duplicate content."
    platform_server.queue(
        "/2/tweets",
        bad_request({"detail": detail, "title": "Forbidden", "status": 403}, status=403),
    )

    result = get_client("x").publish(PostRequest(account_id="me", text="hello"))

    assert (result.outcome, result.message, result.status) == ("permanent", detail, 403)


def test_x_dm_replies_go_to_the_conversation_or_open_one_with_the_author(platform_server):
    answer = {"data": {"dm_conversation_id": "1500-1600", "dm_event_id": "99"}}
    platform_server.queue("/2/dm_conversations/1500-1600/messages", ok(answer, status=201))
    platform_server.queue("/2/dm_conversations/with/1600/messages", ok(answer, status=201))
    client = get_client("x")

    in_dm = client.send_reply(ReplyTarget(conversation_id="1500-1600"), "hello")
    private = client.send_reply(
        ReplyTarget(conversation_id="1874", reply_to_id="1874", recipient_id="1600", private=True),
        "hello in private",
    )

    assert (in_dm.outcome, in_dm.platform_id) == ("ok", "99")
    assert private.outcome == "ok"
    assert [r.json() for r in platform_server.requests] == [
        {"text": "hello"},
        {"text": "hello in private"},
    ]


# --- Meta -------------------------------------------------------------------------------------


def test_instagram_publish_creates_a_container_then_publishes_it(platform_server):
    platform_server.queue("/1784/media", ok({"id": "c1"}))
    platform_server.queue("/1784/media_publish", ok({"id": "m1"}))
    platform_server.queue("/m1", ok({"permalink": "https://www.instagram.com/p/abc/", "id": "m1"}))

    result = get_client("instagram").publish(
        PostRequest(account_id="1784", text="Nowruz sale", media_urls=("https://cdn/x.jpg",))
    )

    assert (result.outcome, result.platform_id) == ("ok", "m1")
    assert result.url == "https://www.instagram.com/p/abc/"
    container, publish, _ = platform_server.requests
    assert container.json() == {"image_url": "https://cdn/x.jpg", "caption": "Nowruz sale"}
    assert publish.json() == {"creation_id": "c1"}
    assert container.headers["authorization"] == f"Bearer {TOKENS['META_ACCESS_TOKEN']}"
    assert "access_token" not in container.query


def test_instagram_carousel_makes_child_containers(platform_server):
    platform_server.queue("/1784/media", ok({"id": "k1"}), ok({"id": "k2"}), ok({"id": "car"}))
    platform_server.queue("/1784/media_publish", ok({"id": "m2"}))
    platform_server.queue("/m2", ok({"permalink": "https://www.instagram.com/p/def/"}))

    result = get_client("instagram").publish(
        PostRequest(account_id="1784", text="two", media_urls=("https://a.jpg", "https://b.jpg"))
    )

    assert result.outcome == "ok"
    carousel = platform_server.to("/1784/media")[2].json()
    assert carousel == {"media_type": "CAROUSEL", "children": "k1,k2", "caption": "two"}


def test_instagram_publishing_limit_is_retryable(platform_server):
    platform_server.queue("/1784/media", ok({"id": "c1"}))
    platform_server.queue(
        "/1784/media_publish",
        bad_request(
            {
                "error": {
                    "message": "Application request limit reached",
                    "type": "OAuthException",
                    "code": 9,
                    "error_subcode": 2207042,
                }
            }
        ),
    )

    result = get_client("instagram").publish(
        PostRequest(account_id="1784", text="x", media_urls=("https://a.jpg",))
    )

    assert result.outcome == "retryable"
    assert result.raw["container"] == "c1"


def test_instagram_post_without_an_image_is_refused_without_a_call(platform_server):
    result = get_client("instagram").publish(PostRequest(account_id="1784", text="text only"))

    assert result.outcome == "permanent"
    assert platform_server.requests == []


def test_instagram_publishing_limit_can_be_read(platform_server):
    platform_server.queue(
        "/1784/content_publishing_limit",
        ok({"data": [{"quota_usage": 2, "config": {"quota_total": 50, "quota_duration": 86400}}]}),
    )

    assert get_client("instagram").content_publishing_limit("1784") == (2, 50)
    assert platform_server.requests[0].query == {"fields": "quota_usage,config"}


def test_instagram_comment_reply_and_private_reply(platform_server):
    platform_server.queue("/18100000000000001/replies", ok({"id": "r1"}))
    platform_server.queue("/me/messages", ok({"recipient_id": "9", "message_id": "mid.1"}))
    client = get_client("instagram")

    public = client.send_reply(
        ReplyTarget(conversation_id="18000000000000001", reply_to_id="18100000000000001"), "hi"
    )
    private = client.send_reply(
        ReplyTarget(
            conversation_id="18000000000000001", reply_to_id="18100000000000001", private=True
        ),
        "details in DM",
    )

    assert (public.outcome, public.platform_id) == ("ok", "r1")
    assert (private.outcome, private.platform_id) == ("ok", "mid.1")
    assert platform_server.to("/me/messages")[0].json() == {
        "recipient": {"comment_id": "18100000000000001"},
        "message": {"text": "details in DM"},
    }


def test_facebook_page_post_comment_reply_and_dm_answer(platform_server):
    platform_server.queue("/100/feed", ok({"id": "100_200"}))
    platform_server.queue("/200_300/comments", ok({"id": "200_301"}))
    platform_server.queue("/me/messages", ok({"recipient_id": "24", "message_id": "m_9"}))
    client = get_client("facebook")

    post = client.publish(PostRequest(account_id="100", text="Hello", link="https://acme.example"))
    reply = client.send_reply(ReplyTarget(conversation_id="100_200", reply_to_id="200_300"), "hi")
    dm = client.send_reply(ReplyTarget(conversation_id="dm:24"), "we are on it")

    assert (post.outcome, post.platform_id, post.url) == (
        "ok",
        "100_200",
        "https://www.facebook.com/100_200",
    )
    assert platform_server.to("/100/feed")[0].json() == {
        "message": "Hello\nhttps://acme.example",
        "link": "https://acme.example",
    }
    assert (reply.outcome, reply.platform_id) == ("ok", "200_301")
    assert dm.outcome == "ok"
    assert platform_server.to("/me/messages")[0].json() == {
        "recipient": {"id": "24"},
        "messaging_type": "RESPONSE",
        "message": {"text": "we are on it"},
    }


def test_graph_throttle_is_retryable_after_the_time_meta_estimates(platform_server):
    usage = '{"100":[{"type":"pages","call_count":100,"estimated_time_to_regain_access":5}]}'
    platform_server.queue(
        "/100/feed",
        bad_request(
            {"error": {"message": "Application request limit reached", "code": 4}}, status=403
        ),
    )
    platform_server._replies["/100/feed"][0].headers["x-business-use-case-usage"] = usage

    result = get_client("facebook").publish(PostRequest(account_id="100", text="x"))

    assert (result.outcome, result.retry_after) == ("retryable", 300)


def test_graph_invalid_token_is_permanent_with_metas_message(platform_server):
    platform_server.queue(
        "/100/feed",
        bad_request(
            {
                "error": {
                    "message": "Error validating access token",
                    "type": "OAuthException",
                    "code": 190,
                }
            }
        ),
    )

    result = get_client("facebook").publish(PostRequest(account_id="100", text="x"))

    assert (result.outcome, result.message) == ("permanent", "Error validating access token")


def test_a_page_finds_a_post_whose_publish_outcome_was_unknown(platform_server):
    # Given the Page's posts since the first attempt: one of them is ours
    since = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
    listing = {
        "data": [
            {"id": "100_1", "message": "Other news"},
            {
                "id": "100_2",
                "message": "Hello\nhttps://acme.example",
                "permalink_url": "https://www.facebook.com/acme/posts/2",
            },
        ]
    }
    platform_server.queue("/100/posts", ok(listing))

    # When the sweep's check asks the client whether it was published
    found = get_client("facebook").find_post(
        PostRequest(account_id="100", text="Hello", link="https://acme.example"), since
    )

    # Then it is found with its id and URL, from a listing since just before the first attempt
    assert (found.outcome, found.platform_id, found.url) == (
        "ok",
        "100_2",
        "https://www.facebook.com/acme/posts/2",
    )
    (asked,) = platform_server.to("/100/posts")
    assert asked.query["since"] == str(int(since.timestamp()) - 60)
    assert asked.query["fields"] == "id,message,permalink_url"


@pytest.mark.parametrize(
    ("answer", "outcome"),
    [
        (ok({"data": [{"id": "100_1", "message": "Other news"}]}), "permanent"),
        (ok({"data": [], "paging": {"next": "https://graph.example/next"}}), "unknown"),
        (bad_request({"error": {"message": "Permissions error", "code": 200}}), "unknown"),
        (server_error(), "retryable"),
    ],
    ids=["absent", "paged", "refused", "outage"],
)
def test_only_a_complete_listing_proves_a_page_post_absent(platform_server, answer, outcome):
    platform_server.queue("/100/posts", answer)

    found = get_client("facebook").find_post(
        PostRequest(account_id="100", text="Hello"), datetime(2026, 3, 2, tzinfo=UTC)
    )

    assert found.outcome == outcome


# --- LinkedIn ---------------------------------------------------------------------------------


def test_linkedin_post_id_comes_from_the_restli_header(platform_server):
    urn = "urn:li:share:7300000000000000001"
    platform_server.queue("/rest/posts", ok(b"", status=201, headers={"x-restli-id": urn}))

    result = get_client("linkedin").publish(
        PostRequest(account_id="urn:li:organization:11223344", text="We're hiring (remote) #jobs")
    )

    assert (result.outcome, result.platform_id) == ("ok", urn)
    assert result.url == f"https://www.linkedin.com/feed/update/{urn}/"
    (sent,) = platform_server.requests
    assert sent.headers["linkedin-version"] == "202601"
    assert sent.headers["x-restli-protocol-version"] == "2.0.0"
    body = sent.json()
    assert body["author"] == "urn:li:organization:11223344"
    assert body["commentary"] == "We're hiring \\(remote\\) \\#jobs"
    assert body["lifecycleState"] == "PUBLISHED"


def test_linkedin_comment_reply_nests_under_the_comment(platform_server):
    post = "urn:li:activity:7200000000000000001"
    comment = f"urn:li:comment:({post},7200000000000000555)"
    encoded = (
        "/rest/socialActions/urn%3Ali%3Acomment%3A%28urn%3Ali%3Aactivity%3A"
        "7200000000000000001%2C7200000000000000555%29/comments"
    )
    platform_server.queue(encoded, ok({"$URN": "urn:li:comment:(x,9)"}, status=201))

    result = get_client("linkedin").send_reply(
        ReplyTarget(conversation_id=post, reply_to_id=comment), "Yes, fully remote."
    )

    assert (result.outcome, result.platform_id) == ("ok", "urn:li:comment:(x,9)")
    assert platform_server.requests[0].json() == {
        "actor": "urn:li:organization:11223344",
        "object": post,
        "message": {"text": "Yes, fully remote."},
        "parentComment": comment,
    }


def test_linkedin_throttle_uses_retry_after_and_errors_keep_linkedins_message(platform_server):
    platform_server.queue(
        "/rest/posts", rate_limited({"status": 429, "message": "Too many"}, retry_after=30)
    )
    platform_server.queue(
        "/rest/posts", bad_request({"status": 422, "message": "commentary too long"}, status=422)
    )
    client = get_client("linkedin")
    request = PostRequest(account_id="urn:li:organization:1", text="x")

    throttled = client.publish(request)
    refused = client.publish(request)

    assert (throttled.outcome, throttled.retry_after) == ("retryable", 30)
    assert (refused.outcome, refused.message) == ("permanent", "commentary too long")


def test_linkedin_has_no_private_replies(platform_server):
    result = get_client("linkedin").send_reply(
        ReplyTarget(conversation_id="urn:li:activity:1", private=True), "hi"
    )

    assert result.outcome == "permanent"
    assert platform_server.requests == []


def test_little_text_escapes_every_reserved_character():
    assert little_text("a(b)[c]{d}<e>@f#g*h_i~j\\k|l") == (
        "a\\(b\\)\\[c\\]\\{d\\}\\<e\\>\\@f\\#g\\*h\\_i\\~j\\\\k\\|l"
    )
