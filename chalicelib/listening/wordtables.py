"""The listening word tables (`words/*.json`), read from the package on first use.

Data, not code: a linguist or an agent can add a Finglish spelling or a complaint phrase without
touching Python, and a reviewer reads the change as a one-line diff. Each file is parsed once per
process (`lru_cache`) and never at import, so `import app` stays lean; the files ship inside
`chalicelib/`, which Chalice copies whole into the Lambda package.

- `lexicon_<en|fa|ar>.json`: the rule-based classifier's weighted entries per language family
  (see `lexicon.py`);
- `emoji.json`: emoji weights for sentiment, complaint and praise;
- `finglish.json`: common Finglish words with their Persian spelling, and the ones that are
  also English words (so they do not mark a text as Finglish);
- `english.json`: English marker words and the contractions the normaliser expands;
- `language.json`: the Persian and Arabic function words that tell the two apart.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import Any

WORDS = Path(__file__).resolve().parent / "words"


@lru_cache(maxsize=16)
def table(name: str) -> dict[str, Any]:
    """One word table file, parsed (callers must not mutate it: it is shared)."""
    with (WORDS / f"{name}.json").open(encoding="utf-8") as handle:
        data = json.load(handle)
    if not isinstance(data, dict):
        raise ValueError(f"word table {name} is not a JSON object")
    return data


def weights(name: str, key: str) -> dict[str, float]:
    """A table's weighted entries (`{"entry": weight}`); an absent key is an empty table."""
    return {str(k): float(v) for k, v in table(name).get(key, {}).items()}


def words(name: str, key: str) -> frozenset[str]:
    """A table's word list as a set; an absent key is an empty set."""
    return frozenset(str(w) for w in table(name).get(key, ()))


def mapping(name: str, key: str) -> dict[str, str]:
    return {str(k): str(v) for k, v in table(name).get(key, {}).items()}
