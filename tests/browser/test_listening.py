"""Listening in a real browser against the real runtime: a watch rule created and then edited in
the console matches the next mention in the feed; the feed's filters narrow it; the rule
editor's 422 errors are shown under their fields with everything typed kept; alerts are listed;
axe finds no serious violation."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import requests

from tests import helpers

_ids = itertools.count(1)


def open_screen(page, sign_in, console, path: str, locale: str = "fa", width: int = 1280):
    page.set_viewport_size({"width": width, "height": 900})
    sign_in(page, locale=locale)
    page.goto(f"{console.console_url}/#{path}")


def mention(console, text: str, handle: str = "@neda@example.social") -> str:
    """A signed generic-webhook mention; returns its mention id."""
    platform_id = f"lis-{next(_ids)}-{datetime.now(UTC).timestamp():.0f}"
    body = helpers.compact(
        helpers.generic_event(
            id=platform_id,
            text=text,
            author={"id": handle, "handle": handle.lstrip("@").split("@")[0], "name": handle},
            created_at=datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        )
    )
    response = requests.post(
        f"{console.url}/webhooks/generic", data=body, headers=helpers.generic_headers(body),
        timeout=10,
    )  # fmt: skip
    assert response.status_code == 200, response.text
    return f"mastodon:{platform_id}"


def feed_item(page, mention_id: str):
    """The mention in the feed, refreshing until the consumer has stored it."""
    item = page.locator(f".mention[data-mention-id='{mention_id}']")
    for _ in range(20):
        if item.count():
            return item
        page.click("[data-action=refresh-feed]")
        page.wait_for_timeout(500)
    item.wait_for(timeout=1000)
    return item


def save_rule(
    page, *, name: str | None = None, category: str | None = None, any_: str | None = None
):
    dialog = page.locator("dialog.rule-dialog")
    if name is not None:
        dialog.locator("input[name=name]").fill(name)
    if category is not None:
        dialog.locator("select[name=category]").select_option(category)
    if any_ is not None:
        dialog.locator("textarea[name=any]").fill(any_)
    dialog.locator("[data-action=save-rule]").click()


def test_an_edited_watch_rule_matches_the_next_mention_in_the_feed(
    console, page, sign_in, shot, axe_check
):
    open_screen(page, sign_in, console, "/listening")
    page.wait_for_selector("[data-action=new-rule]")

    # Given a brand rule created in the console
    page.click("[data-action=new-rule]")
    save_rule(page, name="زرین‌کالا", category="brand", any_="zarinkala\nزرین‌کالا")
    page.wait_for_selector("dialog.rule-dialog", state="detached")
    rule = page.locator(".rule-item", has_text="زرین‌کالا")
    rule.wait_for()

    # A mention of the brand is matched and carries the rule's chip
    first = feed_item(page, mention(console, "سفارشم از زرین کالا هنوز نرسیده"))
    assert "زرین‌کالا" in first.locator(".chip-rule").inner_text()
    assert first.locator(".mention-text").get_attribute("dir") == "auto"
    # ... a mention of its new shop name is not, yet
    before = feed_item(page, mention(console, "anyone tried the zarinshop app?"))
    assert before.locator(".chip-rule").count() == 0

    # When the rule is edited to listen for the new name too
    rule.locator("[data-action=edit-rule]").click()
    save_rule(page, any_="zarinkala\nزرین‌کالا\nzarinshop")
    page.wait_for_selector("dialog.rule-dialog", state="detached")

    # Then the next mention of it is matched in the feed
    after = feed_item(page, mention(console, "zarinshop delivery was quick, thanks!"))
    assert "زرین‌کالا" in after.locator(".chip-rule").inner_text()

    # And filtering the feed by the rule shows the matched mentions only
    rule_id = rule.get_attribute("data-rule-id")
    page.locator("select[name=rule]").select_option(rule_id)
    page.get_by_role("button", name="اعمال").click()
    page.wait_for_function(
        "n => document.querySelectorAll('.mention').length === n", arg=2, timeout=10000
    )
    shown = page.locator(".mention").evaluate_all("els => els.map(e => e.dataset.mentionId)")
    assert set(shown) == {
        first.get_attribute("data-mention-id"),
        after.get_attribute("data-mention-id"),
    }
    assert f"rule={rule_id}" in page.url  # the filtered feed can be bookmarked
    # ... and by sentiment as well (GET /mentions's own filter)
    page.locator("select[name=sentiment]").select_option("negative")
    page.get_by_role("button", name="اعمال").click()
    page.wait_for_function(
        "() => document.querySelectorAll('.mention').length === 1", timeout=10000
    )
    assert "منفی" in page.locator(".mention .chip-negative").inner_text()
    shot(page, "listening-feed")
    axe_check(page, "listening feed")


def test_rule_errors_are_shown_under_their_fields_and_nothing_typed_is_lost(
    console, page, sign_in, shot, axe_check
):
    open_screen(page, sign_in, console, "/listening", locale="en")
    page.click("[data-action=new-rule]")
    dialog = page.locator("dialog.rule-dialog")
    dialog.locator("input[name=name]").fill("Big star")
    dialog.locator("select[name=category]").select_option("influencer")
    dialog.locator("textarea[name=handles]").fill("@@not a handle")
    dialog.locator("textarea[name=none]").fill("giveaway")

    dialog.locator("[data-action=save-rule]").click()

    error = dialog.locator("[data-field=handles] .field-error")
    error.wait_for()
    assert "is not an account name" in error.inner_text()
    assert dialog.locator("textarea[name=handles]").get_attribute("aria-invalid") == "true"
    assert dialog.locator("input[name=name]").input_value() == "Big star"
    assert dialog.locator("textarea[name=none]").input_value() == "giveaway"
    shot(page, "listening-rule-errors")
    axe_check(page, "rule editor with errors")

    # A query with no positive clause is refused as a whole: the message sits on the query
    dialog.locator("textarea[name=handles]").fill("")
    dialog.locator("[data-action=save-rule]").click()
    query_error = dialog.locator("#rule-query-error")
    query_error.wait_for()
    assert "Give at least one word, phrase, account or hashtag" in query_error.inner_text()


def test_alerts_are_listed(console, page, sign_in, shot):
    brand = console.api(
        "POST",
        "/watch-rules",
        json={"name": "Acme", "category": "brand", "query": {"any": ["acmeshoes"]}},
    )
    assert brand.status_code == 201, brand.text
    star = console.api(
        "POST",
        "/watch-rules",
        json={"name": "Big Star", "category": "influencer", "query": {"handles": ["bigstar"]}},
    )
    assert star.status_code == 201, star.text
    mention(console, "unboxing my new acmeshoes today", handle="@bigstar")
    open_screen(page, sign_in, console, "/listening", locale="en")
    alert = page.locator(".alert-item.alert-person_brand_mention", has_text="Big Star")
    for _ in range(20):
        if alert.count():
            break
        page.wait_for_timeout(500)
        page.reload()
    assert "Big Star talked about the brand" in alert.first.inner_text()
    shot(page, "listening-alerts")


def test_the_time_range_is_read_on_the_brands_clock(console, page, sign_in):
    mention(console, "a mention from today about anything")
    open_screen(page, sign_in, console, "/listening", locale="en")
    page.locator(".mention").first.wait_for()
    # From tomorrow 00:00 in Tehran: nothing yet
    tomorrow = datetime.now(ZoneInfo("Asia/Tehran")).date() + timedelta(days=1)
    page.locator("input[name=from]").fill(f"{tomorrow.isoformat()}T00:00")
    page.get_by_role("button", name="Apply").click()
    page.get_by_text("No mentions match these filters.").wait_for()
    # ... sent as the instant it is (Tehran is UTC+03:30): the previous day 20:30 UTC
    assert f"from={(tomorrow - timedelta(days=1)).isoformat()}T20%3A30%3A00Z" in page.url
