"""CDK entry point: `python infra/cdk_app.py` (make synth) or `cdk deploy` (infra/cdk.json).

Named `cdk_app.py` because Chalice imports a module named `app`. Choose the stage with context:
`-c stage=prod` (default dev). Synth needs no AWS account: with no credentials the stack is
environment-agnostic; only Chalice's packager wants a region, so one is defaulted.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import aws_cdk as cdk  # noqa: E402

from infra.stacks.care_stack import CareStack  # noqa: E402
from infra.stacks.settings import from_context  # noqa: E402


def build(app: cdk.App) -> CareStack:
    os.environ.setdefault("AWS_DEFAULT_REGION", os.environ.get("CDK_DEFAULT_REGION") or "us-east-1")
    settings = from_context(app.node.try_get_context)
    env = None
    if os.environ.get("CDK_DEFAULT_ACCOUNT"):
        env = cdk.Environment(
            account=os.environ["CDK_DEFAULT_ACCOUNT"], region=os.environ.get("CDK_DEFAULT_REGION")
        )
    return CareStack(app, settings=settings, env=env)


def main() -> None:
    outdir = None if os.environ.get("CDK_OUTDIR") else str(ROOT / "cdk.out")
    app = cdk.App(outdir=outdir)
    build(app)
    app.synth()


if __name__ == "__main__":
    main()
