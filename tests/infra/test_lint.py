"""Linters over what we deploy: cfn-lint on the synthesised template, statelint on the SLA ASL.

cfn-lint runs at its default level (errors and warnings), ignoring only IGNORED_CHECKS below;
it expands the Chalice-generated AWS::Serverless resources with aws-sam-translator first.
Informational checks (`-c I`) are not enabled: the only one that fires, I1022 "prefer Fn::Sub
over Fn::Join", is about how the CDK itself writes joined ARNs, which we do not control.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from infra.stacks.workflow import SLA_ASL
from tests.infra.conftest import Synth

BIN = Path(sys.executable).parent
# W3005 (a DependsOn that a GetAtt already implies) fires only on the CDK's own BucketDeployment
# construct, which we do not write; our own resources were cleaned of it.
IGNORED_CHECKS: tuple[str, ...] = ("W3005",)


def cfn_lint(path: Path) -> subprocess.CompletedProcess[str]:
    ignore = ["--ignore-checks", *IGNORED_CHECKS] if IGNORED_CHECKS else []
    return subprocess.run(  # noqa: S603 - our own venv's executable, fixed arguments
        [str(BIN / "cfn-lint"), "--format", "parseable", *ignore, "--", str(path)],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )


def test_cfn_lint_passes_on_the_synthesised_template(synth: Synth):
    result = cfn_lint(synth.template_path)
    assert result.returncode == 0, result.stdout + result.stderr


def test_cfn_lint_would_catch_a_broken_template(synth: Synth, tmp_path: Path):
    # Given the template with a queue visibility timeout beyond SQS's 12-hour limit
    broken = json.loads(json.dumps(synth.template))
    queue = next(v for v in broken["Resources"].values() if v["Type"] == "AWS::SQS::Queue")
    queue["Properties"]["VisibilityTimeout"] = 99_999
    path = tmp_path / "broken.json"
    path.write_text(json.dumps(broken))
    # When it is linted, then cfn-lint reports the error
    result = cfn_lint(path)
    assert result.returncode != 0
    assert "E3034" in result.stdout


def statelint(path: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: S603 - our own venv's executable, fixed arguments
        [str(BIN / "statelint"), str(path)], capture_output=True, text=True, check=False, timeout=60
    )


@pytest.mark.skipif(not SLA_ASL.exists(), reason="infra/statemachines/sla.asl.json not written yet")
def test_statelint_passes_on_the_sla_definition():
    result = statelint(SLA_ASL)
    assert result.returncode == 0, result.stdout + result.stderr


def test_statelint_rejects_an_invalid_definition(tmp_path: Path):
    # Given a definition whose start state does not exist (proves statelint is really run)
    path = tmp_path / "bad.asl.json"
    path.write_text(json.dumps({"StartAt": "Nowhere", "States": {"Done": {"Type": "Succeed"}}}))
    result = statelint(path)
    assert result.returncode != 0


def test_statelint_accepts_the_sample_sla_shape(tmp_path: Path):
    from tests.infra.test_constructs import SAMPLE_ASL

    path = tmp_path / "sample.asl.json"
    path.write_text(json.dumps(SAMPLE_ASL))
    result = statelint(path)
    assert result.returncode == 0, result.stdout + result.stderr


def test_cfn_lint_passes_on_the_sla_workflow_with_a_sample_definition(tmp_path: Path):
    # The real ASL lands with another issue; until then lint the construct with the sample shape.
    from tests.infra.test_constructs import SAMPLE_ASL, TestSlaWorkflow

    path = tmp_path / "sla.template.json"
    path.write_text(json.dumps(TestSlaWorkflow().build(SAMPLE_ASL)))
    result = cfn_lint(path)
    assert result.returncode == 0, result.stdout + result.stderr
