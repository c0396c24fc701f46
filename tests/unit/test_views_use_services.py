"""Views call their context's services, never the store: a blueprint module under `api/`
that imports `chalicelib.store` (at the top or inside a view) fails here."""

from __future__ import annotations

import ast
from pathlib import Path

API = Path(__file__).resolve().parents[2] / "chalicelib" / "api"
# Known exceptions, each one view module; the list can only shrink. The ticket, template and
# token views still read their store modules directly.
STILL_READ_THE_STORE = {"care.py"}


def store_imports(path: Path) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [node.module, *(f"{node.module}.{a.name}" for a in node.names)]
        elif isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        else:
            continue
        found += [n for n in names if n == "chalicelib.store" or n.startswith("chalicelib.store.")]
    return sorted(set(found))


def test_no_view_imports_the_store():
    wrong = {
        path.name: store_imports(path)
        for path in sorted(API.glob("*.py"))
        if path.name not in STILL_READ_THE_STORE and store_imports(path)
    }
    assert wrong == {}


def test_the_exceptions_still_exist_and_still_need_to_be_listed():
    for name in STILL_READ_THE_STORE:
        assert store_imports(API / name), f"{name} no longer reads the store: drop it from the list"


def test_the_checker_sees_a_lazy_store_import(tmp_path):
    view = tmp_path / "view.py"
    view.write_text("def f():\n    from chalicelib.store.posts import read\n")
    assert store_imports(view) == ["chalicelib.store.posts", "chalicelib.store.posts.read"]
    package = tmp_path / "package.py"
    package.write_text("from chalicelib import store\n")
    assert store_imports(package) == ["chalicelib.store"]
