"""`import app` is the API Lambda's cold start: it must register routes and nothing else.

Run in a fresh interpreter, so what other tests imported does not hide a regression.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

# What a cold start must not pay for: AWS SDKs, any route's models or any domain module (they
# are imported by the view that needs them), and platform adapters or clients.
FORBIDDEN_PREFIXES = (
    "boto3",
    "botocore.client",
    "chalicelib.models",
    "chalicelib.shapes",
    "chalicelib.platforms",
    "chalicelib.care",
    "chalicelib.domain",
    "chalicelib.listening",
    "chalicelib.publishing",
    "chalicelib.measure",
    "chalicelib.ingest",
    "chalicelib.openapi",
    "chalicelib.api.meta_models",
    "urllib3",
)


def _modules_after_import_app() -> list[str]:
    code = "import json, sys; import app; print(json.dumps(sorted(sys.modules)))"
    output = subprocess.run(  # noqa: S603 (our own interpreter and a constant script)
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout
    return json.loads(output)


def test_import_app_loads_no_sdk_no_model_and_no_platform():
    loaded = _modules_after_import_app()
    assert "app" in loaded
    assert "chalicelib.api.care" in loaded  # the blueprints are registered...
    offending = [m for m in loaded if m.startswith(FORBIDDEN_PREFIXES)]
    assert offending == []  # ...and nothing they use is imported yet


def test_pydantic_models_of_routes_are_not_built_at_import():
    code = (
        "import app, gc, pydantic; "
        "print(sum(1 for o in gc.get_objects() if isinstance(o, type) "
        "and issubclass(o, pydantic.BaseModel) and o.__module__.startswith('chalicelib')))"
    )
    output = subprocess.run(  # noqa: S603 (our own interpreter and a constant script)
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout
    # Settings is the one model the cold start builds: it is read to configure the app.
    assert int(output) <= 1
