"""How much of a gold set any text-only extractor can match: the place ceiling.

The scorer pairs a prediction with a gold incident only when the place names match or the points
are within 50 km. For each gold incident this asks whether the article names *anything* that could
pass: a capitalised word (or two) that the scorer's own name test accepts, or whose gazetteer
namesakes (exact, or spelling variants with similarity >= 80) lie within 50 km of the gold point.
Gold incidents failing both are out of reach whatever the extraction does.

    python -m services.eval_ceiling ../shared/eval/acled/dev
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import re
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

from sahelwatch.geo import haversine_km
from sahelwatch.settings import SHARED_DIR, load_settings
from services.ingest.formats import split_headers
from services.pipeline import Pipeline

_WORDS = re.compile(r"[A-Z][\w'’-]+(?: [A-Z][\w'’-]+)?")
MATCH_KM = 50.0


def load_scorer(path: Path) -> ModuleType:
    """The kit's score.py, for its exact name test (read from ../shared, never copied)."""
    spec = importlib.util.spec_from_file_location("eval_score", path)
    if spec is None or spec.loader is None:
        raise FileNotFoundError(path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def reachable(text: str, gold: dict[str, Any], pipeline: Pipeline, scorer: ModuleType, fuzzy: bool) -> bool:
    lat, lon = gold.get("latitude"), gold.get("longitude")
    gazetteer = pipeline.gazetteer
    names = {sp.name for sp in gazetteer.find_spans(text)} | {m.group() for m in _WORDS.finditer(text)}
    for name in names:
        if scorer.names_match(name, gold.get("location")):
            return True
        if lat is None or lon is None:
            continue
        places = list(gazetteer.lookup(name))
        if fuzzy:
            places += [place for place, _ in gazetteer.fuzzy(name, limit=20, cutoff=80)]
        if any(haversine_km(lat, lon, p.latitude, p.longitude) <= MATCH_KM for p in places):
            return True
    return False


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("set_dir", type=Path, help="an eval set folder with gold.jsonl and articles/")
    ap.add_argument("--list", action="store_true", help="also print the files out of reach")
    args = ap.parse_args(argv)
    scorer = load_scorer(SHARED_DIR / "eval" / "score.py")
    pipeline = Pipeline(load_settings())
    rows = [json.loads(line) for line in (args.set_dir / "gold.jsonl").read_text().splitlines() if line.strip()]
    total = exact = loose = 0
    missing: list[str] = []
    for row in rows:
        _, text = split_headers((args.set_dir / "articles" / row["file"]).read_text(encoding="utf-8"))
        for gold in row.get("incidents", []):
            total += 1
            if reachable(text, gold, pipeline, scorer, fuzzy=False):
                exact += 1
                loose += 1
            elif reachable(text, gold, pipeline, scorer, fuzzy=True):
                loose += 1
            else:
                missing.append(row["file"])
    print(f"gold incidents {total}")
    print(f"reachable by exact names        {exact} ({exact / total:.3f})")
    print(f"reachable with spelling variants {loose} ({loose / total:.3f})")
    if args.list:
        print("out of reach:", " ".join(missing))
    return 0


if __name__ == "__main__":
    sys.exit(main())
