"""`make run`: the whole system in one process, state in memory.

moto's ThreadedMotoServer (Step Functions execution on) holds DynamoDB, SQS, EventBridge and
Step Functions; the resources are created from `chalicelib.definitions`; the Chalice local
server serves the API; the pump feeds queues and schedules to the app's handlers. Ctrl-C (or
SIGTERM) stops all of it.
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


@dataclass
class Runtime:
    moto: Any
    http: Any
    http_thread: threading.Thread
    pump: Any
    api_url: str
    admin_token: str

    def stop(self) -> None:
        self.pump.stop()
        self.http.shutdown()
        self.moto.stop()


def start(api_port: int | None = None, moto_port: int | None = None) -> Runtime:
    from moto.server import ThreadedMotoServer

    moto_port = moto_port or int(os.environ.get("CARE_MOTO_PORT") or 0) or free_port()
    _prepare_environment(moto_port)
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
    api_port = api_port or int(os.environ.get("CARE_API_PORT") or 8000)
    http = create_local_server(app_module.app, config, "127.0.0.1", api_port)
    http_thread = threading.Thread(target=http.server.serve_forever, name="chalice", daemon=True)
    http_thread.start()

    from local.pump import Pump

    pump = Pump(app_module.app, session.client("sqs"), resources.queue_urls, resources.queue_arns)
    pump.start()
    return Runtime(
        moto=moto,
        http=http,
        http_thread=http_thread,
        pump=pump,
        api_url=f"http://127.0.0.1:{api_port}",
        admin_token=admin_token,
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
    return f"""
carecycle is running (state in memory; Ctrl-C stops it)
  API            {url}
  AWS (moto)     {os.environ["AWS_ENDPOINT_URL"]}
  admin token    {runtime.admin_token}
  TELEGRAM_SECRET_TOKEN={tg}
  GENERIC_WEBHOOK_SECRET={os.environ["GENERIC_WEBHOOK_SECRET"]}

Try:
  curl -s {url}/health
  curl -s -X POST {url}/webhooks/telegram -H 'Content-Type: application/json' \\
       -H 'X-Telegram-Bot-Api-Secret-Token: {tg}' \\
       -d '{EXAMPLE_UPDATE}'
  curl -s {url}/mentions -H 'Authorization: Bearer {runtime.admin_token}'
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
