"""Settings in a real browser against the real runtime: a team is created with members and
routing rules, its SLA business calendar is edited (two windows on a day, a day off, a holiday,
targets for all priorities and for urgent) with a bad window refused under its day; duty is
switched at once; an admin issues a token shown once; axe finds no serious violation."""

from __future__ import annotations

import requests


def open_screen(page, sign_in, console, path: str, locale: str = "fa", width: int = 1280):
    page.set_viewport_size({"width": width, "height": 900})
    sign_in(page, locale=locale)
    page.goto(f"{console.console_url}/#{path}")


def test_create_a_team_and_edit_its_sla_calendar(console, page, sign_in, shot, axe_check):
    open_screen(page, sign_in, console, "/settings?section=teams", locale="en")

    # When a manager creates a team with two members and routing rules
    page.click("[data-action=new-team]")
    form = page.locator("form[aria-labelledby=team-form-title]")
    form.locator("input[name=team_id]").fill("Payments!")
    form.locator("input[name=name]").fill("Payments desk")
    for agent in ("sara", "ali"):
        form.locator("[data-action=add-member]").click()
        form.locator(".member-agent").last.fill(agent)
    form.locator("textarea[name=terms]").fill("invoice\nrefund\nصورتحساب")
    form.get_by_label("Brand").check()
    form.locator("[data-action=save-team]").click()
    # a bad id is refused under its field, nothing else is lost
    assert "lowercase letters" in form.locator("[data-field=team_id] .field-error").inner_text()
    assert form.locator("input[name=name]").input_value() == "Payments desk"
    form.locator("input[name=team_id]").fill("payments")
    form.locator("[data-action=save-team]").click()

    # Then it is listed and stored as typed
    page.locator(".item-row[data-team=payments]").wait_for()
    team = console.api("GET", "/teams/payments").json()
    assert team["name"] == "Payments desk"
    assert [(m["agent"], m["on_duty"]) for m in team["members"]] == [("sara", True), ("ali", True)]
    assert team["terms"] == ["invoice", "refund", "صورتحساب"]
    assert team["categories"] == ["brand"]

    # When the manager edits its SLA calendar, first with a window that closes before it opens
    sla = page.locator("form.sla-form")
    sla.wait_for()
    sla.locator("input[name=timezone]").fill("Asia/Tehran")
    sat = sla.locator("fieldset[name=sat]")
    for start, end in (("09:00", "13:00"), ("14:00", "18:00")):
        sat.locator("[data-action=add-window-sat]").click()
        sat.locator(".w-start").last.fill(start)
        sat.locator(".w-end").last.fill(end)
    sun = sla.locator("fieldset[name=sun]")
    sun.locator("[data-action=add-window-sun]").click()
    sun.locator(".w-start").last.fill("18:00")
    sun.locator(".w-end").last.fill("09:00")
    sla.locator("fieldset[name=fri] .day-off").check()
    sla.locator("[data-action=add-holiday]").click()
    sla.locator(".holiday").last.fill("2027-03-21")
    sla.locator("input[name=ack_seconds]").fill("4")
    sla.locator("input[name=resolve_seconds]").fill("24")
    sla.locator("[data-priority=urgent] input[type=checkbox]").check()
    sla.locator("input[name=ack_seconds_urgent]").fill("1")
    sla.locator("input[name=resolve_seconds_urgent]").fill("8")
    sla.locator("[data-action=save-sla]").click()

    # Then the bad window is named under Sunday and everything typed is still there
    sunday_error = page.locator("#sla-day-sun-error")
    sunday_error.wait_for()
    assert "A window must close after it opens" in sunday_error.inner_text()
    assert sat.locator(".w-end").last.input_value() == "18:00"
    shot(page, "settings-sla-error")
    axe_check(page, "SLA editor with an error")

    # When the window is fixed and saved again, the calendar and targets are stored
    sun.locator(".w-start").last.fill("10:00")
    sun.locator(".w-end").last.fill("16:00")
    sla.locator("[data-action=save-sla]").click()
    page.locator(".toast", has_text="SLA saved").wait_for()
    policy = console.api("GET", "/teams/payments/sla").json()
    calendar = policy["calendar"]
    assert calendar["timezone"] == "Asia/Tehran"
    assert calendar["hours"] == {
        "sat": [{"start": "09:00:00", "end": "13:00:00"}, {"start": "14:00:00", "end": "18:00:00"}],
        "sun": [{"start": "10:00:00", "end": "16:00:00"}],
    }
    assert calendar["days_off"] == ["fri"]
    assert calendar["holidays"] == ["2027-03-21"]
    assert policy["targets"] == {"ack_seconds": 4 * 3600, "resolve_seconds": 24 * 3600}
    assert policy["by_priority"] == {"urgent": {"ack_seconds": 3600, "resolve_seconds": 8 * 3600}}

    # Duty is switched at once, without a save
    sara = page.locator(".member-row[data-agent=sara]")
    sara.locator(".member-duty").uncheck()
    page.locator(".toast", has_text="sara is now off duty").wait_for()
    members = console.api("GET", "/teams/payments").json()["members"]
    assert {m["agent"]: m["on_duty"] for m in members} == {"sara": False, "ali": True}

    # The editor reloads the saved calendar (Persian, as a manager would see it on a phone)
    page.evaluate("localStorage.setItem('carecycle.locale', 'fa')")
    page.set_viewport_size({"width": 390, "height": 900})
    page.reload()
    page.locator("form.sla-form fieldset[name=sat] .window-row").nth(1).wait_for()
    assert page.locator("form.sla-form input[name=ack_seconds_urgent]").input_value() == "1"
    shot(page, "settings-team-390")
    axe_check(page, "team settings on a phone")


def test_an_admin_issues_a_token_shown_once(console, page, sign_in, shot, axe_check):
    open_screen(page, sign_in, console, "/settings?section=tokens", locale="en")
    page.locator("input[name=name]").fill("mina")
    page.locator("select[name=role]").select_option("agent")
    page.get_by_role("button", name="Create token").click()
    secret = page.locator(".secret-box code")
    secret.wait_for()
    token = secret.inner_text().strip()
    me = requests.get(f"{console.url}/me", headers={"Authorization": f"Bearer {token}"}, timeout=10)
    assert me.status_code == 200
    assert me.json()["role"] == "agent"
    page.locator(".item-row", has_text="mina").wait_for()
    shot(page, "settings-token")
    axe_check(page, "tokens")
    # shown once: leaving the section and coming back shows the list, never the secret
    page.get_by_role("link", name="Teams").click()
    page.get_by_role("link", name="Tokens").click()
    page.locator(".item-row", has_text="mina").wait_for()
    assert page.locator(".secret-box").count() == 0
    assert token not in page.content()
