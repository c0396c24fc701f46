"""Copy the writers' corpus files into the package (a developer's step before `make train`).

`python -m local.import_corpus SOURCE_DIR --test w5,w6,w9` reads `SOURCE_DIR/<writer>.jsonl`,
keeps valid rows, drops near-copies (normalised text, character 4-gram Jaccard >= 0.8) within
each split and every training row near a test row, and writes
`chalicelib/listening/corpus/{train,test}/<writer>.jsonl`: what `make train` and the deployed
retrain job read. The test writers are never trained on or used to choose anything.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from chalicelib.listening import train

KEEP: tuple[str, ...] = ("id", "text", "kind", "language", "sentiment", "intent", "needs_reply")
KEEP += ("spam", "business", "phenomena", "writer")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("source", type=Path)
    parser.add_argument("--test", default="w5,w6,w9", help="comma-separated test writers")
    args = parser.parse_args(argv)
    test_writers = set(args.test.split(","))
    by_split: dict[str, list[dict]] = {"train": [], "test": []}
    for path in sorted(args.source.glob("*.jsonl")):
        rows = [r for r in train.read_jsonl(path) if train.valid(r)]
        for row in rows:
            row.setdefault("writer", path.stem)
        by_split["test" if path.stem in test_writers else "train"].extend(rows)
    test, dropped_test = train.dedupe(by_split["test"])
    kept, dropped_train = train.dedupe(by_split["train"], against=test)
    for split, rows in (("train", kept), ("test", test)):
        folder = train.CORPUS / split
        folder.mkdir(parents=True, exist_ok=True)
        for old in folder.glob("*.jsonl"):
            old.unlink()
        for writer in sorted({r["writer"] for r in rows}):
            lines = [
                json.dumps({k: r[k] for k in KEEP if k in r}, ensure_ascii=False)
                for r in rows
                if r["writer"] == writer
            ]
            (folder / f"{writer}.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(
        f"train: {len(kept)} rows ({dropped_train} near-copies dropped), "
        f"test: {len(test)} rows ({dropped_test} dropped)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
