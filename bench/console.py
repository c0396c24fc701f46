"""Console benchmark: what the first load weighs and how soon the inbox's first page is on
screen, over the real local runtime (`python -m local`) with 1,000 open tickets in the store.

Run with `.venv/bin/python bench/console.py` (needs Chromium for the timing: /usr/bin/chromium
or CARE_CHROMIUM). Prints figures; asserts nothing.

- First-load bytes: every file the console's first screen fetches (index.html, the stylesheet,
  the icon, config.json and every ES module reachable from main.js), each as sent with
  `Accept-Encoding: gzip` by the console server (compressed, as CloudFront serves them), plus
  the API answers of the inbox's first screen (/me, /tickets, /teams; uncompressed: the local
  API does not compress).
- Time to the inbox's first page: a fresh browser context with the token already in session
  storage (signing in is the person's typing, not the app's work) opens the inbox; a mutation
  observer notes when the first page of rows (20) is in the DOM, and the next animation frame
  is taken as "on screen". Cold (fresh context each time), repeated.

The 1,000 tickets are built by the intake code a webhook goes through (`care.intake`) and
written straight to the runtime's DynamoDB (moto) with batched puts, without starting 1,000 SLA
state-machine runs: the inbox reads tickets, not runs, and moto's transactions (it copies the
table per transaction) and 1,000 waiting moto executions would only measure moto.
"""

from __future__ import annotations

import gzip
import os
import re
import signal
import statistics
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import urljoin

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import requests  # noqa: E402
from offline import start_local  # noqa: E402 (bench/offline.py)

from local.runtime import free_port  # noqa: E402

TICKETS = 1000
RUNS = 5
TOKEN = "cc_bench-console-admin-0123456789"
CHROMIUM = os.environ.get("CARE_CHROMIUM") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
IMPORT = re.compile(r"""(?:import|from)\s*['"](\.{1,2}/[^'"]+)['"]""")


def start_runtime() -> tuple[subprocess.Popen, str, str, str]:
    api_port, console_port = free_port(), free_port()
    env = {
        "CARE_API_PORT": str(api_port),
        "CARE_CONSOLE_PORT": str(console_port),
        "CARE_ADMIN_TOKEN": TOKEN,
        "CARE_TIMEZONE": "Asia/Tehran",
    }
    process, moto = start_local(env, drop=("AWS_", "CARE_"))
    return process, f"http://127.0.0.1:{api_port}", f"http://127.0.0.1:{console_port}", moto


def seed(moto: str, count: int) -> float:
    """`count` open tickets from `count` customers, via the intake code, into the runtime's moto."""
    os.environ.update(
        {
            "AWS_ENDPOINT_URL": moto,
            "AWS_ACCESS_KEY_ID": "local",
            "AWS_SECRET_ACCESS_KEY": "local",
            "AWS_DEFAULT_REGION": "us-east-1",
            "POWERTOOLS_METRICS_DISABLED": "true",
            "POWERTOOLS_LOG_LEVEL": "ERROR",
        }
    )
    os.environ.pop("CARE_SLA_STATE_MACHINE_ARN", None)  # no SLA runs (see the docstring)
    from chalicelib import aws
    from chalicelib.care import intake
    from chalicelib.models import Author, Mention
    from chalicelib.store import keys
    from chalicelib.store import tickets as ticket_store
    from chalicelib.store.mentions import save
    from chalicelib.store.table import serialize, table_name

    texts = (
        "My order is two weeks late and nobody answers, terrible!",
        "سفارشم هنوز نرسیده و خیلی ناراحتم",
        "Where is my parcel? It was due on Monday.",
        "I was charged twice for one order, terrible!",
    )
    started = time.perf_counter()
    base = datetime.now(UTC) - timedelta(hours=2)
    batch: list[dict] = []
    for n in range(count):
        mention = Mention(
            platform="telegram",
            platform_id=f"{900000 + n}:1",
            kind="dm",
            author=Author(id=str(900000 + n), name=f"Customer {n}"),
            text=texts[n % len(texts)],
            created_at=base + timedelta(seconds=n),
            conversation_id=str(900000 + n),
            raw_ref=f"bench-{n}",
            language="fa" if n % 4 == 1 else "en",
            sentiment="negative",
            intent="complaint",
            needs_reply=True,
            reply_reason="complaint:dm",
        )
        save(mention)
        stored = mention.model_dump(mode="json")
        # The ticket exactly as intake builds it, written with plain puts: moto emulates a
        # transaction by copying the table, which at 1,000 tickets would time the seeding out.
        record = intake._new_ticket(
            stored, intake.conversation_of(stored), "bench", None, None, None
        )
        ticket = record.to_item()
        item = {**keys.ticket(ticket["id"]), "type": "ticket", **ticket}
        attributes = ticket_store.index_attributes(ticket).items()
        item.update({k: v for k, v in attributes if v is not None})
        batch.append({"PutRequest": {"Item": serialize(item)}})
        if len(batch) == 25 or n == count - 1:
            aws.dynamodb().batch_write_item(RequestItems={table_name(): batch})
            batch = []
    return time.perf_counter() - started


def first_load_bytes(console: str) -> list[tuple[str, int, int]]:
    """(file, compressed bytes, raw bytes) of everything the first screen loads."""
    gz = {"Accept-Encoding": "gzip"}
    page = requests.get(console + "/", timeout=10).text
    sheets = [f"/{href}" for href in re.findall(r'<link rel="stylesheet" href="([^"]+)"', page)]
    files = ["/", *sheets, "/img/icon.svg", "/config.json"]
    seen: set[str] = set()
    pending = ["/js/main.js"]
    while pending:
        path = pending.pop()
        if path in seen:
            continue
        seen.add(path)
        text = requests.get(console + path, timeout=10).text
        for found in IMPORT.findall(text):
            pending.append(urljoin(path, found))
    rows = []
    for path in files + sorted(seen):
        response = requests.get(console + path, headers=gz, timeout=10, stream=True)
        raw = response.raw.read()
        size = len(raw)
        plain = len(gzip.decompress(raw)) if response.headers.get("Content-Encoding") else size
        rows.append((path, size, plain))
    return rows


def api_answers(api: str) -> list[tuple[str, int, float]]:
    """(path, bytes, median ms of 5) of the API calls the inbox's first page waits for."""
    auth = {"Authorization": f"Bearer {TOKEN}"}
    rows = []
    for path in ("/me", "/tickets?limit=20", "/teams?limit=100"):
        took = []
        for _ in range(5):
            started = time.perf_counter()
            body = requests.get(api + path, headers=auth, timeout=30).content
            took.append((time.perf_counter() - started) * 1000)
        rows.append((path, len(body), statistics.median(took)))
    return rows


OBSERVER = """
window.__firstPage = null;
new MutationObserver((_, observer) => {
  if (document.querySelectorAll('.ticket-row').length >= 20 && window.__firstPage === null) {
    window.__firstPage = -1;
    requestAnimationFrame(() => { window.__firstPage = performance.now(); });
    observer.disconnect();
  }
}).observe(document, {childList: true, subtree: true});
"""


RESOURCES = """() => performance.getEntriesByType('resource')
  .filter(e => e.name.includes('/tickets') || e.name.includes('/me') || e.name.includes('config'))
  .map(e => [new URL(e.name).pathname + new URL(e.name).search, e.startTime, e.duration])"""


def time_first_page(console: str, runs: int) -> tuple[list[float], list[list]]:
    from playwright.sync_api import sync_playwright

    times = []
    resources: list[list] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for _ in range(runs):
            context = browser.new_context(viewport={"width": 1280, "height": 900})
            context.add_init_script(
                f"sessionStorage.setItem('carecycle.token', '{TOKEN}');"
                "localStorage.setItem('carecycle.locale', 'fa');" + OBSERVER
            )
            page = context.new_page()
            page.goto(console + "/#/inbox?tab=all")
            page.wait_for_function("() => window.__firstPage > 0", timeout=30000)
            times.append(page.evaluate("() => window.__firstPage"))
            resources = page.evaluate(RESOURCES)
            context.close()
        browser.close()
    return times, resources


def main() -> None:
    process, api, console, moto = start_runtime()
    try:
        took = seed(moto, TICKETS)
        listed = requests.get(
            api + "/tickets?limit=100", headers={"Authorization": f"Bearer {TOKEN}"}, timeout=10
        ).json()
        print(
            f"seeded {TICKETS} open tickets in {took:.1f} s "
            f"(first page of 100: {len(listed['items'])})"
        )
        rows = first_load_bytes(console)
        total = sum(size for _, size, _ in rows)
        plain = sum(raw for _, _, raw in rows)
        print(
            f"\nfirst load: {len(rows)} files, {total / 1024:.1f} KiB compressed "
            f"({plain / 1024:.1f} KiB raw)"
        )
        for path, size, raw in sorted(rows, key=lambda r: -r[1]):
            print(f"  {path:32} {size / 1024:6.1f} KiB gz  {raw / 1024:6.1f} KiB")
        print("API answers of the first screen (uncompressed; latency over moto, median of 5):")
        for path, size, ms in api_answers(api):
            print(f"  {path:32} {size / 1024:6.1f} KiB  {ms:6.0f} ms")
        if not Path(CHROMIUM).exists():
            print(f"\nno Chromium at {CHROMIUM}: time to the first page not measured")
            return
        times, resources = time_first_page(console, RUNS)
        print(
            f"\ninbox first page (20 rows) on screen, from navigation, {RUNS} cold loads: "
            f"median {statistics.median(times):.0f} ms, min {min(times):.0f}, max {max(times):.0f}"
        )
        print("  each: " + ", ".join(f"{t:.0f}" for t in times) + " ms")
        print("  the last load's calls on the way (start, duration from navigation):")
        for name, start, duration in sorted(resources, key=lambda r: r[1]):
            print(f"    {name[:48]:48} at {start:6.0f} ms took {duration:6.0f} ms")
    finally:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()


if __name__ == "__main__":
    main()
