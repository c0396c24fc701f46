"""The calendar in a real browser against the real runtime: a post scheduled from the calendar is
published by the sweep and turns published on screen; the per-network validation shows under the
field and keeps the text; the month is a Jalali month in Persian; the best-times heatmap is drawn;
axe finds no serious violation."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from tests import helpers

BRAND_ZONE = "Asia/Tehran"  # the browser runtime's CARE_TIMEZONE (tests/browser/conftest.py)


def open_screen(page, sign_in, console, path: str, locale: str = "fa", width: int = 1280):
    page.set_viewport_size({"width": width, "height": 900})
    sign_in(page, locale=locale)
    page.goto(f"{console.console_url}/#{path}")


def wall_clock(seconds_ahead: int) -> str:
    at = datetime.now(UTC) + timedelta(seconds=seconds_ahead)
    return at.astimezone(ZoneInfo(BRAND_ZONE)).strftime("%Y-%m-%dT%H:%M:%S")


def published_to(console, chat: str, text: str) -> list[dict]:
    return [
        r
        for r in console.fake_received("telegram")
        if r["operation"] == "sendMessage" and r["json"].get("chat_id") == chat
        and r["json"].get("text") == text
    ]  # fmt: skip


def test_a_post_scheduled_from_the_calendar_turns_published(
    console, page, sign_in, shot, axe_check
):
    open_screen(page, sign_in, console, "/calendar")
    # The Persian calendar is right-to-left, a Solar Hijri month, in the brand's zone
    page.wait_for_selector(".cal-month")
    assert page.locator("html").get_attribute("dir") == "rtl"
    month = page.locator(".cal-range").inner_text()
    jalali = ("فروردین", "اردیبهشت", "خرداد", "تیر", "مرداد", "شهریور", "مهر", "آبان", "آذر", "دی",
              "بهمن", "اسفند")  # fmt: skip
    assert any(name in month for name in jalali), month
    assert BRAND_ZONE in page.locator(".zone-note").inner_text()

    # When a person composes a Telegram post and schedules it a few seconds ahead
    text = "کالکشن تازه جمعه می‌رسد! New collection drops Friday"
    page.click("[data-action=new-post]")
    dialog = page.locator("dialog.post-dialog")
    dialog.locator("select[name=network]").select_option("telegram")
    dialog.locator("input[name=account_id]").fill("@acme_calendar")
    dialog.locator("textarea[name=text]").fill(text)
    assert "۴٬۰۹۶" in dialog.locator(".counter").inner_text()  # Telegram's limit, Persian digits
    dialog.locator("input[name=scheduled_at]").fill(wall_clock(6))
    shot(page, "calendar-compose")
    dialog.locator("[data-action=schedule]").click()
    page.wait_for_selector("dialog.post-dialog", state="detached")

    # Then it sits in the grid, marked scheduled (or already published), in Telegram's colour
    chip = page.locator(".post-chip.net-telegram", has_text="کالکشن تازه")
    chip.wait_for()
    assert chip.get_attribute("data-status") in ("scheduled", "publishing", "published")

    # And within the sweep's few seconds the post goes out once and turns published on screen
    for _ in range(30):
        if chip.get_attribute("data-status") == "published":
            break
        page.wait_for_timeout(1000)
        page.get_by_role("button", name="امروز").click()  # re-reads the calendar
        chip = page.locator(".post-chip.net-telegram", has_text="کالکشن تازه")
        chip.wait_for()
    assert chip.get_attribute("data-status") == "published"
    assert len(published_to(console, "@acme_calendar", text)) == 1
    chip.click()
    dialog = page.locator("dialog.post-dialog")
    assert "منتشرشده" in dialog.locator(".post-status").inner_text()
    assert dialog.locator("a", has_text="دیدن در شبکه").get_attribute("href").startswith("https://")
    # a published post offers nothing that could post it again
    assert dialog.locator("[data-action=schedule], [data-action=cancel-post]").count() == 0
    shot(page, "calendar-published")
    dialog.get_by_role("button", name="بستن").first.click()
    shot(page, "calendar-month")
    page.set_viewport_size({"width": 1100, "height": 760})
    page.screenshot(  # a small one for docs/console/calendar-fa.jpg (README "The console")
        path=str(Path(__file__).parent / "screenshots" / "docs-calendar-fa.jpg"),
        type="jpeg",
        quality=70,
    )
    page.set_viewport_size({"width": 1280, "height": 900})
    axe_check(page, "calendar month")


def test_network_validation_is_shown_under_the_field_and_keeps_the_text(
    console, page, sign_in, shot, axe_check
):
    open_screen(page, sign_in, console, "/calendar", locale="en")
    page.click("[data-action=new-post]")
    dialog = page.locator("dialog.post-dialog")
    dialog.locator("select[name=network]").select_option("x")
    dialog.locator("input[name=account_id]").fill("me")  # X account ids are numeric (or me)
    too_long = "Our winter sale is here. " * 12  # 300 weighted characters on X
    dialog.locator("textarea[name=text]").fill(too_long)
    dialog.locator("textarea[name=media_urls]").fill("https://cdn.example.com/a.bmp")
    assert "of 280" in dialog.locator(".counter").inner_text()

    dialog.locator("[data-action=save-draft]").click()

    text_error = dialog.locator("[data-field=text] .field-error")
    text_error.wait_for()
    assert "Too long for X: 300 of 280." in text_error.inner_text()
    media_error = dialog.locator("[data-field=media_urls] .field-error").inner_text()
    assert "X does not accept .bmp files" in media_error
    assert dialog.locator("textarea[name=text]").get_attribute("aria-invalid") == "true"
    assert dialog.locator("textarea[name=text]").input_value() == too_long  # nothing lost

    # "Next free slot" fills the time with the API's answer, at least five minutes ahead
    dialog.locator("[data-action=next-free]").click()
    dialog.locator(".slot-note p").wait_for()
    chosen = datetime.fromisoformat(dialog.locator("input[name=scheduled_at]").input_value())
    earliest = datetime.now(ZoneInfo(BRAND_ZONE)).replace(tzinfo=None) + timedelta(minutes=4)
    assert chosen >= earliest, chosen
    assert "Slot:" in dialog.locator(".slot-note").inner_text()
    axe_check(page, "composer with errors")
    shot(page, "calendar-validation")


def test_week_view_and_best_times_heatmap(console, page, sign_in, shot, axe_check):
    open_screen(page, sign_in, console, "/calendar?view=week", width=390)
    page.wait_for_selector(".cal-week")
    assert page.locator(".cal-week .cal-day").count() == 7
    heat = page.locator(".best-times svg[role=img]")
    heat.wait_for()
    assert page.locator(".best-times rect.cell").count() == 7 * 24
    assert "بهترین زمان‌های انتشار" in heat.get_attribute("aria-label")
    # the numbers are also a table
    assert page.locator(".best-times table tbody tr").count() == 7
    shot(page, "calendar-week-390")
    axe_check(page, "calendar week on a phone")


def test_a_refused_post_shows_the_platforms_error_and_only_safe_actions(
    console, page, sign_in, shot, axe_check
):
    # Given a post the platform refuses when the sweep publishes it
    created = console.api(
        "POST",
        "/posts",
        json={"network": "telegram", "account_id": "@acme_refused", "text": "Flash sale at noon"},
    )
    assert created.status_code == 201, created.text
    post_id = created.json()["id"]
    console.queue_fake_reply(
        f"/bot{helpers.BOT_TOKEN}/sendMessage",
        400,
        {"ok": False, "error_code": 400, "description": "Bad Request: chat not found"},
    )
    scheduled = console.api(
        "POST",
        f"/posts/{post_id}/schedule",
        json={"scheduled_at": wall_clock(3), "timezone": BRAND_ZONE},
    )
    assert scheduled.status_code == 200, scheduled.text

    open_screen(page, sign_in, console, "/calendar", locale="en")
    chip = page.locator(f".post-chip[data-post-id={post_id}]")
    for _ in range(30):
        chip.wait_for()
        if chip.get_attribute("data-status") == "failed":
            break
        page.wait_for_timeout(1000)
        page.get_by_role("button", name="Today").click()
    assert chip.get_attribute("data-status") == "failed"

    # Then its editor says what the platform said and that nothing went out
    chip.click()
    dialog = page.locator("dialog.post-dialog")
    assert "chat not found" in dialog.locator(".post-error").inner_text()
    assert "Nothing was published" in dialog.inner_text()
    # and offers what cannot publish it twice: fix and schedule again, cancel or delete
    actions = dialog.locator(".dialog-actions button[data-action]").evaluate_all(
        "els => els.map(e => e.dataset.action)"
    )
    assert actions == ["schedule", "save-draft", "cancel-post", "delete-post"]
    shot(page, "calendar-failed")
    axe_check(page, "a failed post")


def _force_needs_review(console, post_id: str, error: str) -> None:
    """Put a post in `needs_review` as the sweep does after a publish with an unknown outcome on a
    network that cannot be checked (that takes a platform timeout the fake cannot give)."""
    import boto3

    endpoint = re.search(r"AWS \(moto\)\s+(\S+)", console.banner).group(1)
    dynamodb = boto3.client(
        "dynamodb",
        endpoint_url=endpoint,
        region_name="us-east-1",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )
    (table,) = dynamodb.list_tables()["TableNames"]
    dynamodb.update_item(
        TableName=table,
        Key={"pk": {"S": f"POST#{post_id}"}, "sk": {"S": "POST"}},
        UpdateExpression="SET #s = :s, #e = :e REMOVE gsi3pk, gsi3sk",
        ExpressionAttributeNames={"#s": "status", "#e": "error"},
        ExpressionAttributeValues={":s": {"S": "needs_review"}, ":e": {"S": error}},
    )


def test_a_post_that_needs_review_can_only_be_cancelled(console, page, sign_in, shot, axe_check):
    created = console.api(
        "POST",
        "/posts",
        json={
            "network": "telegram",
            "account_id": "@acme_review",
            "text": "Maybe out already",
            "scheduled_at": wall_clock(120),
            "timezone": BRAND_ZONE,
        },
    )
    assert created.status_code == 201, created.text
    post_id = created.json()["id"]
    _force_needs_review(console, post_id, "publish outcome unknown (no answer before the timeout)")

    open_screen(page, sign_in, console, "/calendar?view=week", locale="en")
    chip = page.locator(f".post-chip[data-post-id={post_id}]")
    assert chip.get_attribute("data-status") == "needs_review"
    chip.click()
    dialog = page.locator("dialog.post-dialog")
    assert "no answer before the timeout" in dialog.locator(".post-error").inner_text()
    assert "may already be published" in dialog.inner_text()
    actions = dialog.locator(".dialog-actions button[data-action]").evaluate_all(
        "els => els.map(e => e.dataset.action)"
    )
    assert actions == ["cancel-post"]  # nothing that could publish it a second time
    assert dialog.locator("textarea[name=text]").is_disabled()
    shot(page, "calendar-needs-review")
    axe_check(page, "a post that needs review")
    # Cancelling (after confirming) is the way out, and the grid shows it cancelled
    page.once("dialog", lambda confirm: confirm.accept())
    dialog.locator("[data-action=cancel-post]").click()
    page.locator(".toast", has_text="Post cancelled.").wait_for()
    assert console.api("GET", f"/posts/{post_id}").json()["status"] == "cancelled"
    page.locator(f".post-chip[data-post-id={post_id}][data-status=cancelled]").wait_for()


def test_validation_errors_are_said_in_persian(console, page, sign_in):
    open_screen(page, sign_in, console, "/calendar")
    page.click("[data-action=new-post]")
    dialog = page.locator("dialog.post-dialog")
    dialog.locator("select[name=network]").select_option("instagram")
    dialog.locator("input[name=account_id]").fill("17841400000000000")
    dialog.locator("textarea[name=text]").fill("پاییز با تخفیف")
    dialog.locator("[data-action=save-draft]").click()
    error = dialog.locator("[data-field=media_urls] .field-error")
    error.wait_for()
    assert error.inner_text() == "پست‌های اینستاگرام دست‌کم یک تصویر یا ویدیو لازم دارند."
