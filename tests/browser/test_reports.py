"""Reports in a real browser against the real runtime: after a complaint is acknowledged and
resolved, the care, listening and engagement reports draw their charts (each an SVG with an
accessible name and a data table), and each CSV download holds the report's numbers; axe finds
no serious violation."""

from __future__ import annotations

import csv
import io
from pathlib import Path

CHAT = 7070701


def open_screen(page, sign_in, console, path: str, locale: str = "fa", width: int = 1280):
    page.set_viewport_size({"width": width, "height": 900})
    sign_in(page, locale=locale)
    page.goto(f"{console.console_url}/#{path}")


def download_csv(page) -> list[dict[str, str]]:
    with page.expect_download() as info:
        page.click("[data-action=csv]")
    download = info.value
    assert download.suggested_filename.endswith(".csv")
    with open(download.path(), encoding="utf-8-sig") as handle:  # the BOM is for spreadsheets
        return list(csv.DictReader(io.StringIO(handle.read())))


def test_reports_draw_their_charts_and_download_csv(console, page, sign_in, shot, axe_check):
    # Given a complaint that was acknowledged and resolved today
    console.post_telegram_dm(CHAT, "سفارشم دیر رسید و هیچکس جواب نمیده", name="Mina")
    ticket = console.ticket_for(CHAT)
    for action, body in (
        ("acknowledge", {"text": "سلام مینا، پیگیری می‌کنیم."}),
        ("resolve", {"text": "بسته امروز ارسال شد."}),
    ):
        response = console.api("POST", f"/tickets/{ticket['id']}/{action}", json=body)
        assert response.status_code == 200, response.text

    open_screen(page, sign_in, console, "/reports")

    # Then the care report shows the response times, SLA compliance and the networks' shares
    panel = page.locator("#report-panel[data-report=care]")
    panel.wait_for()
    kpis = panel.locator(".kpi")
    assert kpis.count() == 6
    assert "۱۰۰" in kpis.nth(4).inner_text()  # first-reply SLA met: 100 %
    charts = panel.locator("figure.chart")
    assert charts.count() == 4
    drawn = panel.locator("figure.chart svg[role=img]")
    assert drawn.count() == 4, panel.locator("figure.chart-empty").all_inner_texts()
    share = panel.locator("figure.chart", has_text="سهم شبکه‌ها از پاسخ‌های ما")
    assert "تلگرام" in share.locator("svg").get_attribute("aria-label")
    assert share.locator("table tbody tr").count() == 1
    shot(page, "reports-care")
    page.set_viewport_size({"width": 1100, "height": 760})
    page.screenshot(  # a small one for docs/console/reports-fa.jpg (README "The console")
        path=str(Path(__file__).parent / "screenshots" / "docs-reports-fa.jpg"),
        type="jpeg",
        quality=70,
    )
    page.set_viewport_size({"width": 1280, "height": 900})
    axe_check(page, "care report")
    rows = download_csv(page)
    overall = next(r for r in rows if r["section"] == "overall")
    # the runtime is shared with the other flows: at least this ticket, each response counted once
    answered = int(overall["first_response_count"])
    assert answered >= 1
    assert 1 <= int(overall["sla_first_response_met"]) <= answered
    assert {r["key"]: r["response_share_pct"] for r in rows if r["section"] == "responses"} == {
        "telegram": "100.0"
    }

    # The listening report: volume, sentiment over time, share of voice
    page.get_by_role("tab", name="پایش").click()
    panel = page.locator("#report-panel[data-report=listening]")
    panel.wait_for()
    volume = panel.locator("figure.chart", has_text="اشاره‌ها در هر روز")
    assert volume.locator("svg[role=img] path.line").count() == 1
    assert (
        panel.locator("figure.chart", has_text="احساس در هر روز").locator("rect.bar").count() >= 1
    )
    shot(page, "reports-listening")
    axe_check(page, "listening report")
    rows = download_csv(page)
    overall = next(r for r in rows if r["section"] == "overall")
    assert int(overall["mentions"]) >= 1
    assert any(r["section"] == "day" for r in rows)

    # The engagement report (keyboard: the tabs follow the arrow keys, right-to-left in Persian)
    page.get_by_role("tab", name="پایش").press("ArrowLeft")
    panel = page.locator("#report-panel[data-report=engagement]")
    panel.wait_for()
    assert page.get_by_role("tab", name="تعامل").get_attribute("aria-selected") == "true"
    assert panel.locator(".kpi").count() == 4
    rows = download_csv(page)
    assert rows == [] or {"section", "key"} <= set(rows[0])
    axe_check(page, "engagement report")

    # English and a phone: the same report, left to right
    page.set_viewport_size({"width": 390, "height": 900})
    page.evaluate("localStorage.setItem('carecycle.locale', 'en')")
    page.goto(f"{console.console_url}/#/reports?tab=care")
    page.reload()
    page.locator("#report-panel[data-report=care] figure.chart svg").first.wait_for()
    assert page.locator("html").get_attribute("dir") == "ltr"
    shot(page, "reports-care-390-en")
