"""`make run`: the whole system in one process, state in memory.

moto's ThreadedMotoServer (Step Functions execution on) holds DynamoDB, SQS, EventBridge and
Step Functions; the resources are created from `chalicelib.definitions`; the Chalice local
server serves the API; the pump feeds queues and schedules to the app's handlers. Each platform
whose API base URL is not configured is pointed at the fake platform server (plausible mode,
`local/fake_platforms.py`) with a dev token, so replies and scheduled posts go somewhere and can
be inspected at its `/_fake/requests`. Ctrl-C (or SIGTERM) stops all of it.

`CARE_PUMP_SCHEDULE_SCALE` (default 1) multiplies every `@app.schedule` rate: 0.05 runs the
one-minute publish sweep every 3 s, which is how the end-to-end tests stay fast.
"""

from __future__ import annotations

import json
import os
import secrets
import signal
import socket
import sys
import threading
import time
from dataclasses import dataclass
from typing import Any

INSPECT_PATH = "/_fake/requests"  # local.fake_platforms.INSPECT_PATH, without importing it early
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
LOCAL_SECRETS = ("TELEGRAM_SECRET_TOKEN", "GENERIC_WEBHOOK_SECRET")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _prepare_environment(moto_port: int) -> None:
    # moto's Wait state compares against naive local time: keep the process in UTC.
    os.environ["TZ"] = "UTC"
    time.tzset()
    # Notifications may go to a loopback fake here (never in AWS: the stack does not set it).
    os.environ.setdefault("CARE_ALLOW_LOOPBACK_WEBHOOKS", "true")
    endpoint = f"http://127.0.0.1:{moto_port}"
    os.environ.update(
        {
            "MOTO_PORT": str(moto_port),
            "AWS_ENDPOINT_URL": endpoint,
            "AWS_DEFAULT_REGION": os.environ.get("AWS_DEFAULT_REGION", "us-east-1"),
            "AWS_ACCESS_KEY_ID": "local",
            "AWS_SECRET_ACCESS_KEY": "local",
            "POWERTOOLS_SERVICE_NAME": "carecycle",
            "POWERTOOLS_METRICS_DISABLED": os.environ.get("POWERTOOLS_METRICS_DISABLED", "true"),
        }
    )
    os.environ.pop("AWS_PROFILE", None)
    for name in LOCAL_SECRETS:
        if not os.environ.get(name):
            os.environ[name] = "local-" + secrets.token_hex(12)


def start_fake_platforms() -> tuple[Any, list[str]]:
    """The plausible fake platform server for every platform without a configured API base.

    Returns the server (None when every platform is configured) and the platforms it serves.
    """
    from chalicelib.platforms import catalogue

    rows = [row for row in catalogue.with_api() if not os.environ.get(str(row.base_url_env))]
    faked = [row.name for row in rows]
    if not faked:
        return None, []
    from local.fake_platforms import PlatformServer

    port = int(os.environ.get("CARE_FAKE_PLATFORMS_PORT") or 0)
    server = PlatformServer(plausible=True, port=port).start()
    for row in rows:
        os.environ[str(row.base_url_env)] = server.url + row.fake_path
        for variable, value in row.dev_settings.items():
            if not os.environ.get(variable):
                os.environ[variable] = value.format(hex=secrets.token_hex(8))
    return server, faked


def schedule_scale() -> float:
    raw = os.environ.get("CARE_PUMP_SCHEDULE_SCALE") or "1"
    try:
        scale = float(raw)
    except ValueError:
        raise SystemExit(f"CARE_PUMP_SCHEDULE_SCALE must be a number, got {raw!r}") from None
    if not 0 < scale <= 1000:
        raise SystemExit(f"CARE_PUMP_SCHEDULE_SCALE must be in (0, 1000], got {raw!r}")
    return scale


@dataclass
class Runtime:
    moto: Any
    http: Any
    http_thread: threading.Thread
    pump: Any
    api_url: str
    admin_token: str
    fake: Any = None
    faked: tuple[str, ...] = ()
    schedule_scale: float = 1.0
    console: Any = None

    def stop(self) -> None:
        self.pump.stop()
        if self.console is not None:
            self.console.stop()
        self.http.shutdown()
        if self.fake is not None:
            self.fake.stop()
        self.moto.stop()


def start_console(api_url: str) -> Any:
    """The console's static server (`CARE_CONSOLE_PORT`, default 8001), and the API's CORS
    origin and notification links pointed at it unless configured."""
    from local.console_server import ConsoleServer

    configured = os.environ.get("CARE_CONSOLE_PORT")
    try:
        console = ConsoleServer(api_url, port=int(configured or 8001))
    except OSError:
        if configured:
            raise
        console = ConsoleServer(api_url, port=0)  # 8001 is taken (another runtime): any port
    origins = f"{console.url},http://localhost:{console.port}"
    os.environ.setdefault("CARE_CONSOLE_ORIGIN", origins)
    os.environ.setdefault("CARE_CONSOLE_URL", f"{console.url}/#")
    return console.start()


def start(api_port: int | None = None, moto_port: int | None = None) -> Runtime:
    from moto.server import ThreadedMotoServer

    from local import moto_patches

    moto_patches.apply()  # atomic conditional writes, as in DynamoDB (issue 16, item 9)
    scale = schedule_scale()
    moto_port = moto_port or int(os.environ.get("CARE_MOTO_PORT") or 0) or free_port()
    api_port = api_port or int(os.environ.get("CARE_API_PORT") or 8000)
    _prepare_environment(moto_port)
    fake, faked = start_fake_platforms()
    console = start_console(f"http://127.0.0.1:{api_port}")
    moto = ThreadedMotoServer(ip_address="127.0.0.1", port=moto_port, verbose=False)
    import logging

    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    moto.start()

    import boto3
    import requests

    requests.post(
        f"http://127.0.0.1:{moto_port}/moto-api/config",
        json={"stepfunctions": {"execute_state_machine": True}},
        timeout=5,
    ).raise_for_status()

    from local.provision import provision

    session = boto3.session.Session()
    resources = provision(session)
    os.environ.update(resources.environment())

    from chalicelib import aws, settings

    aws.reset()
    settings.get_settings.cache_clear()

    from chalicelib.auth import issue_token

    admin_token = os.environ.get("CARE_ADMIN_TOKEN") or None
    admin_token, _ = issue_token(name="local admin", role="admin", secret=admin_token)

    sys.path.insert(0, ROOT)
    from chalice.cli.factory import CLIFactory
    from chalice.local import create_local_server

    import app as app_module

    config = CLIFactory(ROOT).create_config_obj(chalice_stage_name="dev")
    os.environ.update(
        {k: v for k, v in config.environment_variables.items() if k not in os.environ}
    )
    http = create_local_server(app_module.app, config, "127.0.0.1", api_port)
    http_thread = threading.Thread(target=http.server.serve_forever, name="chalice", daemon=True)
    http_thread.start()

    from local.pump import Pump

    pump = Pump(
        app_module.app,
        session.client("sqs"),
        resources.queue_urls,
        resources.queue_arns,
        schedule_scale=scale,
    )
    pump.start()
    return Runtime(
        moto=moto,
        http=http,
        http_thread=http_thread,
        pump=pump,
        api_url=f"http://127.0.0.1:{api_port}",
        admin_token=admin_token,
        fake=fake,
        faked=tuple(faked),
        schedule_scale=scale,
        console=console,
    )


EXAMPLE_UPDATE = json.dumps(
    {
        "update_id": 1,
        "message": {
            "message_id": 1,
            "date": 1735690700,
            "chat": {"id": 42, "type": "private"},
            "from": {"id": 42, "is_bot": False, "first_name": "Neda"},
            "text": "Hi, my order is late",
        },
    },
    separators=(",", ":"),
)


def banner(runtime: Runtime) -> str:
    url = runtime.api_url
    tg = os.environ["TELEGRAM_SECRET_TOKEN"]
    auth = f"-H 'Authorization: Bearer {runtime.admin_token}'"
    platforms = ""
    if runtime.fake is not None:
        platforms = (
            f"  fake platforms {runtime.fake.url}  ({', '.join(runtime.faked)}: plausible"
            " success answers, nothing leaves this machine)\n"
            f"  sent to them   curl -s {runtime.fake.url}{INSPECT_PATH}\n"
        )
    from chalicelib.platforms import catalogue

    configured = [row.name for row in catalogue.with_api() if row.name not in runtime.faked]
    if configured:
        platforms += f"  real APIs      {', '.join(configured)} (their *_API_BASE is set)\n"
    if runtime.schedule_scale != 1:
        platforms += f"  schedules      every rate x {runtime.schedule_scale:g}\n"
    console = ""
    if runtime.console is not None:
        console = f"  console        {runtime.console.url}/  (sign in with the admin token below)\n"
    return f"""
carecycle is running (state in memory; Ctrl-C stops it)
{console}  API            {url}
  AWS (moto)     {os.environ["AWS_ENDPOINT_URL"]}
{platforms}  admin token    {runtime.admin_token}
  TELEGRAM_SECRET_TOKEN={tg}
  GENERIC_WEBHOOK_SECRET={os.environ["GENERIC_WEBHOOK_SECRET"]}

Try (README "Walk through the whole cycle" goes on to tickets and scheduled posts):
  curl -s {url}/health
  curl -s -X POST {url}/webhooks/telegram -H 'Content-Type: application/json' \\
       -H 'X-Telegram-Bot-Api-Secret-Token: {tg}' \\
       -d '{EXAMPLE_UPDATE}'
  curl -s {url}/mentions {auth}
  curl -s {url}/tickets {auth}
READY {url}
"""


def main() -> int:
    runtime = start()
    print(banner(runtime), flush=True)
    stopping = threading.Event()

    def _stop(*_: Any) -> None:
        stopping.set()

    signal.signal(signal.SIGINT, _stop)
    signal.signal(signal.SIGTERM, _stop)
    stopping.wait()
    print("stopping carecycle ...", flush=True)
    runtime.stop()
    print("stopped", flush=True)
    return 0
