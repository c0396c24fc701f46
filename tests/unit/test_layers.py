"""The layers of `chalicelib`, as a table the code must obey (docs/architecture.md draws it).

Every import counts, the lazy ones inside functions too: a cycle hidden behind a function-level
import is still a cycle for the reader. A unit is a package (`chalicelib/care/`) or a top-level
module (`chalicelib/auth.py`). A unit may import units of a lower layer; within a layer only the
foundation's modules import each other. Moving a unit up or down is an edit of this table and of
the document, reviewed like any other.
"""

from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "chalicelib"

# Bottom first. A unit may import only units of lower layers (and, in "foundation", each other).
LAYERS: list[tuple[str, set[str]]] = [
    (
        "foundation",
        {
            "vocabulary",
            "clock",
            "errors",
            "definitions",
            "settings",
            "secrets",
            "observability",
            "aws",
            "models",
            "shapes",
            "events",
            "instants",
            "jsonbody",
            "csvexport",
            "cors",
        },
    ),
    ("domain", {"domain"}),
    ("store", {"store"}),
    ("services", {"auth", "platforms", "listening"}),
    ("measure", {"measure"}),
    ("contexts", {"care", "publishing"}),
    ("ingest", {"ingest"}),
    ("http", {"http"}),
    ("openapi", {"openapi"}),
    ("api", {"api"}),
]
SHARED_LAYER = "foundation"
# Known exceptions, each named with the file that makes it and where its shared piece should go;
# the list can only shrink.
ALLOWED: dict[tuple[str, str], str] = {}
# Inside `platforms/`, bottom first: the shared pieces, one package per platform (which may use
# the shared pieces but never another platform), the registries, which reach the platform
# packages only through the catalogue's lazy "module:Class" names, and the one sending seam.
PLATFORM_LAYERS: list[tuple[str, set[str]]] = [
    (
        "shared",
        {
            "catalogue",
            "base",
            "outbound",
            "accounts",
            "handshakes",
            "signatures",
            "batching",
            "http",
            "text_rules",
        },
    ),
    ("platform", {"telegram", "meta", "x", "linkedin", "generic"}),
    ("registries", {"registry", "clients"}),
    ("seam", {"sending"}),
]
RANK = {unit: rank for rank, (_, units) in enumerate(LAYERS) for unit in units}
LAYER_OF = {unit: name for name, units in LAYERS for unit in units}


def _unit(module: str) -> str | None:
    parts = module.split(".")
    if parts[0] != "chalicelib" or len(parts) < 2:
        return None
    return parts[1]


def _module_of(path: Path, root: Path) -> str:
    parts = path.relative_to(root).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imported(path: Path) -> list[str]:
    """Every module a file imports, the lazy ones too. `from a.b import c` counts as `a.b` and,
    when `a.b` is a package of ours, as `a.b.c` (c may be one of its modules)."""
    names: list[str] = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.append(node.module)
            if node.module in ("chalicelib", "chalicelib.platforms"):
                names += [f"{node.module}.{alias.name}" for alias in node.names]
    return names


def imports(root: Path = ROOT) -> dict[tuple[str, str], set[str]]:
    """(importer unit, imported unit) -> the files that make that import."""
    found: dict[tuple[str, str], set[str]] = defaultdict(set)
    for path in sorted((root / "chalicelib").rglob("*.py")):
        source = _unit(_module_of(path, root)) or "chalicelib"
        for name in _imported(path):
            top = name.split(".")[0]
            where = str(path.relative_to(root))
            if top in {"app", "local", "infra", "tests", "bench"}:
                found[(source, top)].add(where)
            target = _unit(name)
            if target and target != source:
                found[(source, target)].add(where)
    return found


def test_every_unit_of_chalicelib_has_a_layer():
    units = {p.stem for p in PACKAGE.glob("*.py") if p.stem != "__init__"}
    units |= {p.name for p in PACKAGE.iterdir() if (p / "__init__.py").exists()}
    assert sorted(units - set(RANK)) == [], "add the new unit to LAYERS and docs/architecture.md"
    assert sorted(set(RANK) - units) == [], "LAYERS names a unit that no longer exists"


def test_no_unit_imports_a_unit_above_it_or_beside_it():
    wrong = []
    for (source, target), files in sorted(imports().items()):
        if target not in RANK:
            wrong.append(f"{source} -> {target} (outside chalicelib) in {sorted(files)}")
            continue
        if source == "chalicelib" or source not in RANK:
            continue
        beside = RANK[source] == RANK[target] and LAYER_OF[source] != SHARED_LAYER
        if (RANK[target] > RANK[source] or beside) and (source, target) not in ALLOWED:
            wrong.append(
                f"{source} ({LAYER_OF[source]}) -> {target} ({LAYER_OF[target]}) in {sorted(files)}"
            )
    assert wrong == []


def test_there_is_no_import_cycle_between_units():
    graph: dict[str, set[str]] = defaultdict(set)
    for source, target in imports():
        graph[source].add(target)
    cycles = []
    state: dict[str, int] = {}

    def visit(unit: str, trail: list[str]) -> None:
        state[unit] = 1
        for nxt in sorted(graph[unit]):
            if state.get(nxt) == 1:
                cycles.append(" -> ".join([*trail[trail.index(nxt) :], nxt]))
            elif nxt not in state:
                visit(nxt, [*trail, nxt])
        state[unit] = 2

    for unit in sorted(graph):
        if unit not in state:
            visit(unit, [unit])
    assert cycles == []


def test_the_checker_sees_a_lazy_import_and_a_from_package_import(tmp_path):
    """The checker itself: a function-level import in store of care, and `from chalicelib import
    publishing` in platforms, are both reported."""
    for package in ("store", "care", "platforms", "publishing"):
        (tmp_path / "chalicelib" / package).mkdir(parents=True)
        (tmp_path / "chalicelib" / package / "__init__.py").write_text("")
    (tmp_path / "chalicelib" / "store" / "bad.py").write_text(
        "def f():\n    from chalicelib.care import x\n"
    )
    (tmp_path / "chalicelib" / "platforms" / "bad.py").write_text(
        "from chalicelib import publishing\n"
    )
    found = imports(tmp_path)
    assert ("store", "care") in found
    assert ("platforms", "publishing") in found


def test_docs_architecture_shows_the_same_table():
    """docs/architecture.md draws LAYERS; a layer moved in one place and not the other fails."""
    import re

    text = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    drawn: dict[str, set[str]] = {}
    for line in text.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) == 3 and cells[0] in LAYER_OF.values():
            drawn[cells[0]] = {
                name.removesuffix(".py").removesuffix("/")
                for name in re.findall(r"`([^`]+)`", cells[1])
            }
    assert drawn == dict(LAYERS)


def test_the_local_runtime_has_no_import_cycle():
    """`local/` is one package of small modules; none may import one that imports it back."""
    graph: dict[str, set[str]] = defaultdict(set)
    for path in sorted((ROOT / "local").glob("*.py")):
        module = f"local.{path.stem}"
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            imported = node.module if isinstance(node, ast.ImportFrom) else None
            if imported and imported.startswith("local."):
                graph[module].add(imported)
            elif isinstance(node, ast.Import):
                graph[module] |= {a.name for a in node.names if a.name.startswith("local.")}

    def reaches(start: str, goal: str, seen: set[str]) -> bool:
        return any(
            nxt == goal or (nxt not in seen and reaches(nxt, goal, seen | {nxt}))
            for nxt in graph[start]
        )

    assert sorted(m for m in list(graph) if reaches(m, m, {m})) == []


PLATFORM_RANK = {unit: rank for rank, (_, units) in enumerate(PLATFORM_LAYERS) for unit in units}


def _platform_imports() -> dict[tuple[str, str], set[str]]:
    """(importer, imported) inside `chalicelib/platforms/`, by first name below `platforms`."""
    root = PACKAGE / "platforms"
    found: dict[tuple[str, str], set[str]] = defaultdict(set)
    for path in sorted(root.rglob("*.py")):
        parts = path.relative_to(root).with_suffix("").parts
        if parts == ("__init__",):
            continue
        source = parts[0]
        for name in _imported(path):
            bits = name.split(".")
            if bits[:2] == ["chalicelib", "platforms"] and len(bits) > 2 and bits[2] != source:
                found[(source, bits[2])].add(str(path.relative_to(ROOT)))
    return found


def test_every_module_and_package_of_platforms_has_a_place():
    root = PACKAGE / "platforms"
    units = {p.stem for p in root.glob("*.py") if p.stem != "__init__"}
    units |= {p.name for p in root.iterdir() if (p / "__init__.py").exists()}
    assert sorted(units - set(PLATFORM_RANK)) == [], "add it to PLATFORM_LAYERS and the docs"
    assert sorted(set(PLATFORM_RANK) - units) == [], "PLATFORM_LAYERS names what is gone"


def test_the_platform_packages_are_the_catalogues_rows():
    from chalicelib.platforms import catalogue

    (packages,) = [units for name, units in PLATFORM_LAYERS if name == "platform"]
    assert packages == set(catalogue.names())


def test_a_platform_imports_only_the_shared_pieces_and_never_another_platform():
    wrong = [
        f"{source} -> {target} in {sorted(files)}"
        for (source, target), files in sorted(_platform_imports().items())
        if PLATFORM_RANK[target] >= PLATFORM_RANK[source]
        and not (PLATFORM_RANK[source] == 0 and PLATFORM_RANK[target] == 0)
    ]
    assert wrong == []
