"""checkov over the synthesised template: every finding is fixed or skipped here with its reason.

The skips are the price of pay-per-use: a customer-managed KMS key costs $1/month each (plus
per-request charges), a WAF web ACL $5/month plus rules, a VPC with a NAT gateway ~$32/month,
API caching is billed by the hour. A startup running care for a few dollars a month gets AWS-owned
or AWS-managed encryption (on by default for every service below), throttles instead of a WAF,
and no private network because nothing private is reached. The list may only shrink.
"""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

from tests.infra.conftest import Synth

ROOT = Path(__file__).resolve().parents[2]
CHECKOV = Path(os.environ.get("CARE_CHECKOV", ROOT / ".venv-checkov" / "bin" / "checkov"))

SKIPPED: dict[str, str] = {
    # encryption: AWS-owned or AWS-managed keys are on; a customer key is $1/month each
    "CKV_AWS_119": "DynamoDB is encrypted with the AWS-owned key; a CMK costs $1/month + requests",
    "CKV_AWS_149": "the secret is encrypted with aws/secretsmanager; a CMK costs $1/month",
    "CKV_AWS_158": "log groups are encrypted by CloudWatch Logs; they hold no secrets (tested)",
    "CKV_AWS_173": "Lambda environments hold resource names only; secrets are in Secrets Manager",
    "CKV_AWS_27": "queues use SQS-managed SSE (encrypted at rest, free, EventBridge can send)",
    "CKV_AWS_26": "alarm topic carries no customer data; CloudWatch and Budgets need a CMK policy",
    # networking and edge: nothing private is reached, and a WAF costs more than the product
    "CKV_AWS_117": "no VPC: the functions reach only AWS APIs and the platforms' public APIs",
    "CKV_AWS_68": "no WAF ($5/month + rules): API Gateway stage and method throttles instead",
    "CKV_AWS_174": "default *.cloudfront.net certificate; a custom domain gets TLSv1.2_2021",
    "CKV_AWS_86": "console static files need no CloudFront logs; API calls are in API access logs",
    "CKV_AWS_18": "bucket holds the console's public build; CloudFront is its only reader (OAC)",
    "CKV_AWS_21": "bucket content is a build of the repository (git is its history)",
    # API Gateway
    "CKV_AWS_120": "an API cache is billed by the hour and answers are per-user: not cacheable",
    "CKV_AWS_73": "no X-Ray (per-trace cost, import time); logs carry a correlation id instead",
    # Lambda
    "CKV_AWS_115": "concurrency is capped by SQS MaximumConcurrency and, in prod, reservations; "
    "reserving in every stage fails on new accounts whose quota is 10",
    "CKV_AWS_116": "SQS-fed functions dead-letter via their queues' DLQs; the API is synchronous; "
    "the schedules are idempotent, rerun next period, and alarm on errors",
    "CKV_AWS_111": "the CDK BucketDeployment's own policy (CloudFront invalidation needs '*')",
}


def run_checkov(template: Path) -> dict:
    result = subprocess.run(  # noqa: S603 - our own tool venv's executable, fixed arguments
        [
            str(CHECKOV),
            "--file",
            str(template),
            "--framework",
            "cloudformation",
            "--output",
            "json",
            "--skip-download",
            "--skip-check",
            ",".join(sorted(SKIPPED)),
        ],
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
        env={**os.environ, "BC_SKIP_MAPPING": "TRUE", "CHECKOV_RUN_SCA_PACKAGE_SCAN_V2": "false"},
    )
    out = result.stdout.strip()
    if not out:
        pytest.fail(f"checkov printed nothing (exit {result.returncode}): {result.stderr[-2000:]}")
    data = json.loads(out)
    return data[0] if isinstance(data, list) else data


@pytest.fixture(scope="module")
def checkov_report(synth: Synth) -> dict:
    if not CHECKOV.exists():
        message = f"checkov is not installed at {CHECKOV}: `make install` creates .venv-checkov"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return run_checkov(synth.template_path)


def test_checkov_finds_nothing_that_is_not_skipped_with_a_reason(checkov_report: dict):
    failed = checkov_report.get("results", {}).get("failed_checks", [])
    found = sorted({(c["check_id"], c["resource"]) for c in failed})
    assert found == [], "\n".join(f"{check} {resource}" for check, resource in found)


def test_checkov_ran_its_checks(checkov_report: dict):
    # A scan that checked nothing would pass the test above: make sure it did its work.
    passed = checkov_report.get("results", {}).get("passed_checks", [])
    assert len(passed) >= 50


def test_every_skip_has_a_reason():
    assert all(len(reason) > 20 for reason in SKIPPED.values())
