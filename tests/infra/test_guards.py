"""Floods and runaway cost: throttles, access logs, concurrency caps, the budget, the sweep's
time budget, and the console's hosting (private bucket, CloudFront, security headers)."""

from __future__ import annotations

import inspect
import json
from pathlib import Path

import pytest

from chalicelib.publishing import sweep
from chalicelib.settings import Settings
from infra.stacks.console_site import CONSOLE_DIR, CONTENT_SECURITY_POLICY
from infra.stacks.guards import PUBLIC_METHODS
from infra.stacks.settings import DEFAULTS, from_context
from tests.infra.conftest import Synth
from tests.infra.test_stack import functions, ref_id

ROOT = Path(__file__).resolve().parents[2]


def rest_api(synth: Synth) -> dict:
    (api,) = synth.of_type("AWS::Serverless::Api").values()
    return api["Properties"]


def test_the_stage_and_the_public_routes_are_throttled(synth: Synth):
    dev = from_context({"stage": "dev"}.get)
    settings = {(m["ResourcePath"], m["HttpMethod"]): m for m in rest_api(synth)["MethodSettings"]}
    assert settings[("/*", "*")]["ThrottlingRateLimit"] == dev.api_rate_limit
    assert settings[("/*", "*")]["ThrottlingBurstLimit"] == dev.api_burst_limit
    for path, method in PUBLIC_METHODS:
        assert settings[(path, method)]["ThrottlingRateLimit"] == dev.public_rate_limit
        assert settings[(path, method)]["ThrottlingRateLimit"] <= dev.api_rate_limit


def test_public_method_paths_are_routes_the_app_has():
    from app import app

    for path, _ in PUBLIC_METHODS:
        assert path[1:].replace("~1", "/") in app.routes


def test_access_logs_are_json_without_bodies_or_query_strings(synth: Synth):
    setting = rest_api(synth)["AccessLogSetting"]
    log_id = ref_id(setting["DestinationArn"])
    assert synth.resources[log_id]["Type"] == "AWS::Logs::LogGroup"
    assert synth.resources[log_id]["Properties"]["RetentionInDays"] > 0
    fields = json.loads(setting["Format"])
    assert {"requestId", "ip", "status", "resource"} <= set(fields)
    assert not any("querystring" in v.lower() or "body" in v.lower() for v in fields.values())
    assert synth.of_type("AWS::ApiGateway::Account")


def test_sqs_consumers_are_capped(synth: Synth):
    caps = DEFAULTS["dev"]["queue_max_concurrency"]
    for logical_id, function in functions(synth).items():
        for event in function["Properties"].get("Events", {}).values():
            if event["Type"] == "SQS":
                name = {"Ingest": "ingest", "Notify": "notify"}[logical_id]
                assert event["Properties"]["ScalingConfig"] == {"MaximumConcurrency": caps[name]}


def test_prod_reserves_capacity_for_the_promise_keepers():
    prod = from_context({"stage": "prod"}.get)
    assert prod.reserved_concurrency["publish_sweep"] >= 1
    assert prod.reserved_concurrency["notify"] >= 1
    assert from_context({"stage": "dev"}.get).reserved_concurrency == {}


def test_a_monthly_budget_notifies_the_alarm_topic(synth: Synth):
    (budget,) = synth.of_type("AWS::Budgets::Budget").values()
    props = budget["Properties"]
    assert props["Budget"]["TimeUnit"] == "MONTHLY"
    assert props["Budget"]["BudgetLimit"]["Amount"] == DEFAULTS["dev"]["monthly_budget_usd"]
    (topic_id,) = synth.of_type("AWS::SNS::Topic")
    for notification in props["NotificationsWithSubscribers"]:
        (subscriber,) = notification["Subscribers"]
        assert ref_id(subscriber["Address"]) == topic_id
    statements = [
        s
        for p in synth.of_type("AWS::SNS::TopicPolicy").values()
        for s in p["Properties"]["PolicyDocument"]["Statement"]
    ]
    assert any(s["Principal"] == {"Service": "budgets.amazonaws.com"} for s in statements)


@pytest.mark.parametrize("key", ["monthly_budget_usd", "api_rate_limit"])
def test_limits_are_context_settings_and_must_be_positive(key: str):
    assert getattr(from_context({"stage": "dev", key: "7"}.get), key) == 7
    with pytest.raises(ValueError, match=key):
        from_context({"stage": "dev", key: "0"}.get)


def test_the_sweep_stops_well_before_its_lambda_timeout():
    config = json.loads((ROOT / ".chalice" / "config.json").read_text())
    timeout = config["lambda_functions"]["publish_sweep"]["lambda_timeout"]
    budget = inspect.signature(sweep.run).parameters["budget_seconds"].default
    settings = Settings()
    # the last post may start just before the budget ends: one publish and one lookup after it
    one_call = settings.http_connect_timeout + settings.http_read_timeout
    assert budget + 2 * one_call + 5 < timeout


def test_the_console_is_private_behind_cloudfront_with_security_headers(synth: Synth):
    (_, bucket), *_ = synth.of_type("AWS::S3::Bucket").items()
    block = bucket["Properties"]["PublicAccessBlockConfiguration"]
    assert all(block[k] for k in block)
    (distribution,) = synth.of_type("AWS::CloudFront::Distribution").values()
    config = distribution["Properties"]["DistributionConfig"]
    assert config["DefaultCacheBehavior"]["ViewerProtocolPolicy"] == "redirect-to-https"
    assert synth.of_type("AWS::CloudFront::OriginAccessControl")
    (api_behaviour,) = config["CacheBehaviors"]
    assert api_behaviour["PathPattern"] == "/api/*"
    (policy,) = synth.of_type("AWS::CloudFront::ResponseHeadersPolicy").values()
    security = policy["Properties"]["ResponseHeadersPolicyConfig"]["SecurityHeadersConfig"]
    csp = security["ContentSecurityPolicy"]["ContentSecurityPolicy"]
    assert csp == CONTENT_SECURITY_POLICY
    assert "unsafe-inline" not in csp
    assert "script-src 'self'" in csp
    assert security["StrictTransportSecurity"]["AccessControlMaxAgeSec"] >= 31_536_000
    if (CONSOLE_DIR / "index.html").exists():
        assert synth.of_type("Custom::CDKBucketDeployment")
    assert "ConsoleUrl" in synth.template["Outputs"]
