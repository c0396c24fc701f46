"""Shared fixtures: moto-backed resources built from the shared definitions, the Chalice test
client, the event pump and tokens. Every test gets fresh, empty resources."""

from __future__ import annotations

import os
import time
from typing import Any

# Before anything imports boto3: fake credentials, one region, UTC, no EMF noise.
os.environ.update(
    {
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_DEFAULT_REGION": "us-east-1",
        "TZ": "UTC",
        "POWERTOOLS_METRICS_DISABLED": "true",
        "POWERTOOLS_LOG_LEVEL": "WARNING",
    }
)
for name in ("AWS_PROFILE", "AWS_ENDPOINT_URL", "CARE_SECRETS_ID"):
    os.environ.pop(name, None)

import boto3  # noqa: E402
import pytest  # noqa: E402
from chalice.test import Client  # noqa: E402
from moto import mock_aws  # noqa: E402

from chalicelib import aws, settings  # noqa: E402
from chalicelib.vocabulary import Role  # noqa: E402
from local.provision import Resources, provision  # noqa: E402
from local.pump import Pump  # noqa: E402
from tests import helpers, social  # noqa: E402
from tests.fakes import platform_server  # noqa: E402, F401 (a fixture)

# The suites that start their own local runtime (a process and ports each): under pytest-xdist
# (`make test` runs two workers) each runs whole on one worker, in its collected order, so one
# runtime serves it and its shutdown tests still come last; every other file is one unit of work.
# (xdist's own `--dist loadgroup` marks do nothing under pytest 9: it renames `item._nodeid`,
# which pytest no longer reads.)
RUNTIME_SUITES = ("e2e", "faults", "browser")


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config: pytest.Config, log: Any) -> Any:
    from xdist.scheduler import LoadScopeScheduling

    class SuiteScheduling(LoadScopeScheduling):
        def _split_scope(self, nodeid: str) -> str:
            parts = nodeid.split("/")
            if len(parts) > 2 and parts[0] == "tests" and parts[1] in RUNTIME_SUITES:
                return parts[1]
            return nodeid.split("::", 1)[0]

    return SuiteScheduling(config, log)


@pytest.fixture(scope="session", autouse=True)
def _atomic_moto_writes() -> None:
    """DynamoDB evaluates a write's condition and applies it atomically per item; moto's
    in-memory backend does not lock, so concurrent conditional writes from test threads could
    both pass. `local.moto_patches` serialises moto's writes (and makes its transactions copy
    only the items they touch), so concurrency tests exercise our conditions rather than moto's
    missing lock — the same patch the local runtime runs with."""
    from local import moto_patches

    moto_patches.apply()


def _reset_caches() -> None:
    from chalicelib.care import templates
    from chalicelib.listening import alerts, classify, ruleset

    aws.reset()
    settings.get_settings.cache_clear()
    templates.reset_seed_cache()
    ruleset.reset()
    classify.set_classifier(None)  # the next analysis reads this test's live-model pointer
    alerts.get_engine().reset()


@pytest.fixture
def platform_secrets(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TELEGRAM_SECRET_TOKEN", helpers.TELEGRAM_SECRET)
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", helpers.BOT_TOKEN)
    monkeypatch.setenv("GENERIC_WEBHOOK_SECRET", helpers.GENERIC_SECRET)
    monkeypatch.setenv("META_APP_SECRET", social.META_SECRET)
    monkeypatch.setenv("META_VERIFY_TOKEN", social.META_VERIFY_TOKEN)
    monkeypatch.setenv("X_CONSUMER_SECRET", social.X_SECRET)
    monkeypatch.setenv("LINKEDIN_CLIENT_SECRET", social.LINKEDIN_SECRET)


@pytest.fixture
def resources(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch, platform_secrets):
    """Fresh moto resources. Tests marked `sla_execution` also get Step Functions executions
    actually run by moto (the real SLA state machine waits, marks and announces)."""
    config = None
    if request.node.get_closest_marker("sla_execution"):
        config = {"stepfunctions": {"execute_state_machine": True}}
    with mock_aws(config=config):
        created: Resources = provision(boto3)
        for name, value in created.environment().items():
            monkeypatch.setenv(name, value)
        _reset_caches()
        yield created
        if config:
            _stop_executions()
    _reset_caches()


def _stop_executions() -> None:
    """Stop the executions a test left running and wait for their threads. moto runs each in a
    daemon thread that outlives the mock: a Wait state waking up later would write its SLA mark
    into the next test's ticket of the same id (seen as a VersionConflict in an unrelated test).
    """
    from moto.stepfunctions.parser.utils import TMP_THREADS

    sfn = boto3.client("stepfunctions")
    for machine in sfn.list_state_machines()["stateMachines"]:
        running = sfn.list_executions(
            stateMachineArn=machine["stateMachineArn"], statusFilter="RUNNING"
        )["executions"]
        for execution in running:
            _stop(sfn, execution["executionArn"])
    for thread in list(TMP_THREADS):
        thread.join(timeout=10)
        assert not thread.is_alive(), "a Step Functions execution outlived its test"


def _stop(sfn: Any, arn: str) -> None:
    """moto fails a stop that arrives before the execution's thread built its environment;
    such an execution has not run a state yet, so a retry a moment later stops it."""
    for _ in range(100):
        try:
            sfn.stop_execution(executionArn=arn)
            return
        except AttributeError:
            time.sleep(0.02)
    raise AssertionError(f"could not stop {arn}")


@pytest.fixture
def app_module(resources: Resources):
    import app as app_module

    return app_module


@pytest.fixture
def client(app_module):
    with Client(app_module.app, stage_name="dev") as test_client:
        yield test_client


@pytest.fixture
def pump(app_module, resources: Resources) -> Pump:
    return Pump(app_module.app, boto3.client("sqs"), resources.queue_urls, resources.queue_arns)


# The agent token is sara, the social team's on-duty member whom new tickets are assigned to:
# only the assignee (or a manager) may message the customer on an assigned ticket.
AGENT_NAME = "sara"


def _token(role: Role, name: str | None = None) -> str:
    from chalicelib.auth import issue_token

    token, _ = issue_token(name=name or f"test {role}", role=role)
    return token


@pytest.fixture
def admin_token(resources: Resources) -> str:
    return _token("admin")


@pytest.fixture
def agent_token(resources: Resources) -> str:
    return _token("agent", AGENT_NAME)


@pytest.fixture
def manager_token(resources: Resources) -> str:
    return _token("manager")


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}
