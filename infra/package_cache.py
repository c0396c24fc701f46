"""Prime Chalice's Lambda dependency cache (`.chalice/deployments/`) at install time.

Chalice builds the Lambda package by downloading Linux wheels for `requirements.txt` from PyPI,
then caches the result keyed by the requirements' hash. `make install` runs this once, so
`make synth` (and the infra tests) work offline afterwards; only a change to requirements.txt,
which reruns the install, needs the registry again.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    os.environ.setdefault("AWS_DEFAULT_REGION", "us-east-1")
    from chalice import api

    with tempfile.TemporaryDirectory() as out:
        api.package_app(project_dir=str(ROOT), output_dir=out, stage="dev")
    print(f"Lambda package cache ready in {ROOT / '.chalice' / 'deployments'}", file=sys.stderr)


if __name__ == "__main__":
    main()
