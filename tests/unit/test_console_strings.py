"""Every interface string of the console exists in Persian and in English.

The console has no build step, so nothing else would notice a key registered in one language
only (the other would silently fall back to English, or show the raw key). This reads each
module's `registerStrings({en: {...}, fa: {...}})` tables and every literal `t('key')` call.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

CONSOLE = Path(__file__).resolve().parents[2] / "console" / "js"
MODULES = sorted(CONSOLE.rglob("*.js"))
KEY = re.compile(r"""^\s*(['"])([^'"]+)\1\s*:|^\s*([A-Za-z_][\w]*)\s*:""")
CALL = re.compile(r"""(?<![\w.])t\(\s*'([\w.+-]+)'""")


def _object_at(text: str, start: int) -> str:
    """The `{...}` beginning at text[start], skipping braces inside string literals."""
    depth, i, quote = 0, start, None
    while i < len(text):
        ch = text[i]
        if quote:
            if ch == "\\":
                i += 1
            elif ch == quote:
                quote = None
        elif ch in "'\"`":
            quote = ch
        elif ch == "{":
            depth += 1
        elif ch == "}":
            depth -= 1
            if depth == 0:
                return text[start : i + 1]
        i += 1
    raise AssertionError("unbalanced braces")


def _top_level_keys(obj: str) -> set[str]:
    """Keys of a one-level object literal written one entry per line (the house style)."""
    keys, depth, quote = set(), 0, None
    for line in obj[1:-1].splitlines():
        if depth == 0 and quote is None:
            match = KEY.match(line)
            if match:
                keys.add(match.group(2) or match.group(3))
        for i, ch in enumerate(line):
            if quote:
                if ch == quote and line[i - 1] != "\\":
                    quote = None
            elif ch in "'\"`":
                quote = ch
            elif ch in "{[(":
                depth += 1
            elif ch in "}])":
                depth -= 1
        if quote in ("'", '"'):
            quote = None  # a string never spans lines here
    return keys


def tables(path: Path) -> list[dict[str, set[str]]]:
    text = path.read_text(encoding="utf-8")
    found = []
    for call in re.finditer(r"^registerStrings\(\s*\{", text, re.MULTILINE):
        outer = _object_at(text, call.end() - 1)
        languages = {}
        for lang in ("en", "fa"):
            marker = re.search(rf"\n\s*{lang}:\s*\{{", outer)
            assert marker, f"{path.name}: registerStrings without {lang}"
            languages[lang] = _top_level_keys(_object_at(outer, marker.end() - 1))
        found.append(languages)
    return found


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(CONSOLE)))
def test_each_table_has_the_same_keys_in_both_languages(path):
    for table in tables(path):
        assert table["en"] == table["fa"], {
            "only in en": sorted(table["en"] - table["fa"]),
            "only in fa": sorted(table["fa"] - table["en"]),
        }


def test_every_literal_key_used_is_registered():
    registered = {key for path in MODULES for table in tables(path) for key in table["en"]}
    assert {"cal.title", "lis.op.handles", "rep.csv", "set.sla", "chart.table"} <= registered
    used = {
        (path.name, key)
        for path in MODULES
        for key in CALL.findall(path.read_text(encoding="utf-8"))
    }
    missing = sorted((name, key) for name, key in used if key not in registered)
    assert missing == []
