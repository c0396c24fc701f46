"""One synth per test run: the `dev` stack, synthesised in a temporary directory.

Synth runs the real Chalice packager and CDK (through jsii, which needs Node.js); it takes ~10 s,
so every infra test shares the session-scoped `synth` fixture.
"""

from __future__ import annotations

import json
import os
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest


@dataclass
class Synth:
    template: dict[str, Any]
    template_path: Path
    stack: Any

    @property
    def resources(self) -> dict[str, dict[str, Any]]:
        return self.template["Resources"]

    def of_type(self, type_name: str) -> dict[str, dict[str, Any]]:
        return {k: v for k, v in self.resources.items() if v["Type"] == type_name}


def require_node() -> None:
    if shutil.which("node") is None:
        pytest.fail(
            "Node.js is not on PATH: the AWS CDK (jsii) needs it to synthesise the stack. "
            "Install Node.js 20+ (e.g. `apt-get install nodejs`) and run the tests again."
        )


@pytest.fixture(scope="session")
def synth(tmp_path_factory: pytest.TempPathFactory) -> Synth:
    require_node()
    import aws_cdk as cdk

    from infra.stacks.care_stack import CareStack
    from infra.stacks.settings import from_context

    workdir = tmp_path_factory.mktemp("synth")
    previous = Path.cwd()
    os.chdir(workdir)  # the Chalice construct writes chalice.out/ into the working directory
    try:
        app = cdk.App(outdir=str(workdir / "cdk.out"), context={"stage": "dev"})
        stack = CareStack(app, settings=from_context(app.node.try_get_context))
        assembly = app.synth()
    finally:
        os.chdir(previous)
    artifact = assembly.get_stack_artifact(stack.artifact_id)
    path = Path(assembly.directory) / artifact.template_file
    return Synth(template=json.loads(path.read_text()), template_path=path, stack=stack)
