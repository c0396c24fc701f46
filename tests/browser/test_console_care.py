"""The care console in a real browser over the real runtime: sign-in, the inbox with its live
SLA badges, a ticket's actions and reply box, Persian RTL with Jalali dates, a phone's width.

Each flow leaves screenshots in tests/browser/screenshots/ and runs axe-core on its screens.
Chat ids are unique per test so the flows share one runtime without seeing each other.
"""

from __future__ import annotations

import re
import time
from typing import Any

import pytest

from tests import helpers
from tests.browser.conftest import SLA_ACK_SECONDS

pytestmark = pytest.mark.browser

PERSIAN_DIGITS = re.compile(r"[۰-۹]")
JALALI_MONTHS = (
    "فروردین",
    "اردیبهشت",
    "خرداد",
    "تیر",
    "مرداد",
    "شهریور",
    "مهر",
    "آبان",
    "آذر",
    "دی",
    "بهمن",
    "اسفند",
)


def open_ticket(page: Any, console: Any, ticket_id: str) -> None:
    page.goto(f"{console.console_url}/#/tickets/{ticket_id}")
    page.locator(".composer").wait_for()


def row(page: Any, ticket_id: str) -> Any:
    return page.locator(f'.ticket-row[data-ticket="{ticket_id}"]')


def test_sign_in_keeps_the_token_in_session_storage_only(page, console, sign_in, shot, axe_check):
    page.goto(console.console_url + "/")
    assert page.evaluate("document.documentElement.dir") == "rtl"
    axe_check(page, "sign-in")
    shot(page, "signin-fa")
    page.get_by_label("توکن دسترسی").fill("cc_not-a-real-token")
    page.locator("form button[type=submit]").click()
    alert = page.locator(".signin-card [role=alert]")
    alert.wait_for()
    assert "معتبر نیست" in alert.inner_text()
    assert page.evaluate("sessionStorage.getItem('carecycle.token')") is None

    sign_in(page)
    assert page.evaluate("sessionStorage.getItem('carecycle.token')") == console.admin_token
    assert page.evaluate("localStorage.getItem('carecycle.token')") is None
    assert console.admin_token not in page.url
    assert "local admin" in page.locator(".whoami").inner_text()
    axe_check(page, "inbox")

    # A reload restores the session from the tab's storage (GET /me), without signing in again.
    page.reload()
    page.locator(".ticket-list").wait_for(state="attached")
    page.locator(".whoami").wait_for()
    assert "/#/inbox" in page.url

    # A token that stops working sends the person back to sign-in on the next call.
    page.evaluate("sessionStorage.setItem('carecycle.token', 'cc_revoked-or-wrong')")
    page.goto(console.console_url + "/#/tickets/T1")
    page.wait_for_url("**/#/signin")
    assert page.evaluate("sessionStorage.getItem('carecycle.token')") is None


def test_a_complaint_appears_in_the_inbox_with_a_live_sla_badge(page, console, sign_in, shot):
    sign_in(page, locale="en")
    page.goto(console.console_url + "/#/inbox?tab=all")
    console.post_telegram_dm(5101, "My order is two weeks late and nobody answers!", "Neda")
    ticket = console.ticket_for(5101)
    # No reload: the inbox refreshes itself (every 15 s).
    badge = row(page, ticket["id"]).locator(".sla")
    badge.wait_for(timeout=25000)
    assert badge.get_attribute("data-state") in ("pending", "at_risk")
    assert "First reply" in badge.inner_text()
    first = badge.inner_text()
    page.wait_for_timeout(2100)
    assert badge.inner_text() != first, "the countdown is live"
    line = row(page, ticket["id"])
    assert "two weeks late" in line.inner_text()
    assert line.locator('[data-intent="complaint"]').count() == 1
    assert line.locator(".platform-icon").get_attribute("aria-label") == "Telegram"
    shot(page, "inbox-en")


def test_acknowledge_with_a_template_sends_exactly_that_text(
    page, console, sign_in, shot, axe_check
):
    console.post_telegram_dm(5201, "Where is my parcel? It was due on Monday.", "Sara")
    ticket = console.ticket_for(5201)
    sent_before = len(console.fake_received("telegram"))
    sign_in(page, locale="en")
    open_ticket(page, console, ticket["id"])
    axe_check(page, "ticket")

    page.get_by_label("Find a template").fill("sorry")
    page.locator('.template-option[data-template="ack-sorry-en"]').click()
    name = page.get_by_label("Customer name")
    assert name.input_value() == "Sara"
    name.fill("Sara jan")
    text = page.get_by_label("Message", exact=True).input_value()
    assert text.startswith("Hi Sara jan,")
    assert f"#{ticket['number']}" in text
    assert "{" not in text
    counter = page.locator(".counter")
    assert counter.get_attribute("data-used") == str(len(text.encode("utf-16-le")) // 2)
    shot(page, "ticket-compose-en")
    page.get_by_role("button", name="Acknowledge and send").click()

    page.locator('.msg-ours[data-action="acknowledge"]').wait_for()
    page.locator('.chip[data-status="acknowledged"]').wait_for()
    sent = console.fake_received("telegram")[sent_before:]
    messages = [r for r in sent if r["path"].endswith("/sendMessage")]
    assert len(messages) == 1
    assert messages[0]["json"]["text"] == text
    assert messages[0]["json"]["chat_id"] in (5201, "5201")
    # The clock that matters now is the resolution; the first reply is met.
    assert page.locator('.clock[data-clock="ack"] .sla').get_attribute("data-state") == "met"
    assert page.get_by_label("Message", exact=True).input_value() == ""


def test_a_note_is_added_and_never_sent(page, console, sign_in, shot):
    console.post_telegram_dm(5301, "The app crashes every time I pay, terrible!", "Ali")
    ticket = console.ticket_for(5301)
    sent_before = len(console.fake_received("telegram"))
    sign_in(page, locale="en")
    open_ticket(page, console, ticket["id"])
    page.get_by_label("Internal note").check()
    page.get_by_label("Note for the team").fill("Probably the 3-D Secure bug; ask billing.")
    page.get_by_role("button", name="Add note").click()
    note = page.locator('.msg-note[data-kind="note"]')
    note.wait_for()
    assert "3-D Secure" in note.inner_text()
    time.sleep(1)
    assert console.fake_received("telegram")[sent_before:] == []
    history = console.api("GET", f"/tickets/{ticket['id']}").json()["history"]
    assert [h["action"] for h in history][-1] == "note"
    shot(page, "ticket-note-en")


def test_route_to_a_team_then_resolve(page, console, sign_in, shot):
    console.api(
        "PUT",
        "/teams/billing",
        json={"name": "Billing", "members": [{"agent": "mina", "on_duty": True}]},
    ).raise_for_status()
    console.post_telegram_dm(5401, "I was charged twice for one order.", "Reza")
    ticket = console.ticket_for(5401)
    console.api("POST", f"/tickets/{ticket['id']}/acknowledge", json={"text": "On it."})
    sign_in(page, locale="en")
    open_ticket(page, console, ticket["id"])

    page.locator('details[data-action="route"] > summary').click()
    page.get_by_label("Team", exact=True).select_option("billing")
    page.get_by_label("Note for the team (required)").fill("Double charge, order 881.")
    page.get_by_role("button", name="Route", exact=True).click()
    page.locator('.msg-event[data-action="route"]').wait_for()
    assert "billing" in page.locator('.msg-event[data-action="route"]').inner_text()

    page.locator('button[data-action="resolve"]').click()
    page.locator('.chip[data-status="resolved"]').wait_for()
    shot(page, "ticket-resolved-en")
    stored = console.api("GET", f"/tickets/{ticket['id']}").json()
    assert stored["status"] == "resolved"
    assert stored["team"] == "billing"
    assert page.locator('button[data-action="reopen"]').is_visible()


def test_a_refused_send_keeps_the_text_and_says_why(page, console, sign_in):
    console.post_telegram_dm(5501, "Hello? Anyone?", "Parisa")
    ticket = console.ticket_for(5501)
    console.queue_fake_reply(
        f"/bot{helpers.BOT_TOKEN}/sendMessage",
        400,
        {"ok": False, "error_code": 400, "description": "Bad Request: chat not found"},
    )
    sign_in(page, locale="en")
    open_ticket(page, console, ticket["id"])
    box = page.get_by_label("Message", exact=True)
    box.fill("Sorry for the wait, we are checking it now.")
    page.get_by_role("button", name="Acknowledge and send").click()
    alert = page.locator(".compose-errors [role=alert]")
    alert.wait_for()
    assert alert.get_attribute("data-code") == "platform_rejected"
    assert "refused" in alert.inner_text()
    assert "nothing was lost" in alert.inner_text()
    assert box.input_value() == "Sorry for the wait, we are checking it now."
    # Still there after leaving the screen and coming back (the per-ticket draft).
    page.goto(console.console_url + "/#/inbox")
    open_ticket(page, console, ticket["id"])
    assert page.get_by_label("Message", exact=True).input_value() == (
        "Sorry for the wait, we are checking it now."
    )


def test_an_unacknowledged_ticket_turns_red_when_its_deadline_passes(page, console, sign_in, shot):
    console.post_telegram_dm(5601, "My order is late, where is it?", "Kaveh")
    ticket = console.ticket_for(5601)
    sign_in(page, locale="en")
    page.goto(console.console_url + "/#/inbox?tab=all")
    badge = row(page, ticket["id"]).locator(".sla")
    badge.wait_for()
    assert badge.get_attribute("data-state") != "breached"
    due = SLA_ACK_SECONDS + 20
    page.wait_for_function(
        'id => document.querySelector(`.ticket-row[data-ticket="${id}"] .sla`)'
        "?.dataset.state === 'breached'",
        arg=ticket["id"],
        timeout=due * 1000,
    )
    color = badge.evaluate("el => getComputedStyle(el).color")
    assert color == "rgb(164, 22, 26)", color  # --bad
    assert "overdue" in badge.inner_text()
    shot(page, "inbox-breached-en")


def test_persian_is_rtl_with_jalali_dates_and_persian_digits(
    page, console, sign_in, shot, axe_check
):
    console.post_telegram_dm(5701, "سلام، سفارشم هنوز نرسیده و خیلی ناراحتم", "مریم")
    ticket = console.ticket_for(5701)
    sign_in(page, locale="fa")
    assert page.evaluate("[document.documentElement.lang, document.documentElement.dir]") == [
        "fa",
        "rtl",
    ]
    page.goto(console.console_url + "/#/inbox?tab=all")
    line = row(page, ticket["id"])
    line.wait_for()
    assert PERSIAN_DIGITS.search(line.locator(".sla").inner_text())
    assert line.locator(".user-text").first.get_attribute("dir") == "auto"
    shot(page, "inbox-fa")
    open_ticket(page, console, ticket["id"])
    stamp = page.locator(".msg-customer time").first
    text = stamp.inner_text()
    assert any(month in text for month in JALALI_MONTHS), text
    assert "۱۴۰" in text
    assert "Asia/Tehran" in text
    assert re.search(r"20\d\d|۲۰[۰-۹]{2}", stamp.get_attribute("title")), "Gregorian on hover"
    assert page.locator(".ticket-layout").evaluate("el => getComputedStyle(el).direction") == "rtl"
    axe_check(page, "ticket-fa")
    shot(page, "ticket-fa")
    # The switch is remembered.
    page.locator(".lang-switch").click()
    assert page.evaluate("document.documentElement.dir") == "ltr"
    assert page.evaluate("localStorage.getItem('carecycle.locale')") == "en"


def test_a_phone_can_answer(browser, console, shot, axe_check):
    context = browser.new_context(
        viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True
    )
    page = context.new_page()
    try:
        console.post_telegram_dm(5801, "I was charged twice for one order, terrible!", "Nima")
        ticket = console.ticket_for(5801)
        page.goto(console.console_url + "/")
        page.evaluate("localStorage.setItem('carecycle.locale', 'fa')")
        page.reload()
        page.get_by_label("توکن دسترسی").fill(console.admin_token)
        page.locator("form button[type=submit]").click()
        page.goto(console.console_url + "/#/inbox?tab=all")
        row(page, ticket["id"]).wait_for()
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        axe_check(page, "inbox-390")
        shot(page, "inbox-390-fa")
        row(page, ticket["id"]).click()
        page.locator(".composer").wait_for()
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        box = page.locator(".composer textarea[name=text]")
        box.fill("ممنون از صبرتان؛ همین الان بررسی می‌کنیم.")
        shot(page, "ticket-390-fa")
        sent_before = len(console.fake_received("telegram"))
        page.locator(".composer button[type=submit]").click()
        page.locator('.msg-ours[data-action="acknowledge"]').wait_for()
        sent = [
            r
            for r in console.fake_received("telegram")[sent_before:]
            if r["path"].endswith("/sendMessage")
        ]
        assert [r["json"]["text"] for r in sent] == ["ممنون از صبرتان؛ همین الان بررسی می‌کنیم."]
    finally:
        context.close()


def test_the_inbox_is_usable_from_the_keyboard(page, console, sign_in):
    for chat in (5901, 5902):
        console.post_telegram_dm(chat, f"My order {chat} is late, where is it?", "Tara")
        console.ticket_for(chat)
    sign_in(page, locale="en")
    page.goto(console.console_url + "/#/inbox?tab=all")
    page.locator(".ticket-row").nth(1).wait_for()
    page.locator(".ticket-row").first.focus()
    first = page.evaluate("document.activeElement.dataset.ticket")
    page.keyboard.press("ArrowDown")
    second = page.evaluate("document.activeElement.dataset.ticket")
    assert first
    assert second
    assert first != second
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none", "focus is visible"
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/#/tickets/{second}")
