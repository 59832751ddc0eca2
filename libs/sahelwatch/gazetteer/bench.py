"""Gazetteer benchmark: load time, RSS, lookup latency per mention, find_spans throughput.

``python -m sahelwatch.gazetteer.bench [--gazetteer PATH] [--polygons PATH] [--articles DIR]``
"""

from __future__ import annotations

import argparse
import random
import resource
import statistics
import time
from pathlib import Path

from sahelwatch.contracts import PlaceMention
from sahelwatch.gazetteer import build_gazetteer
from sahelwatch.settings import load_settings

_SAMPLE_TEXT = (
    "Gunmen on motorbikes attacked the village of {a} in the {r} region on Sunday, killing 12 civilians, "
    "local officials said. The army said it had repelled a second attack near {b}, about 15 km from {c}. "
    "Des hommes armés ont aussi attaqué un poste à {d}, selon une source sécuritaire à Bamako."
)


def rss_mb() -> float:
    """Current resident set size (Linux /proc), else the peak from getrusage."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024.0
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def main(argv: list[str] | None = None) -> None:
    from services.geocoding.resolve import Geocoder  # services sit next to libs in the wheel

    settings = load_settings()
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--gazetteer", type=Path, action="append", help="GeoNames dump (repeatable)")
    parser.add_argument("--polygons", type=Path, default=settings.default_admin_polygons())
    parser.add_argument("--articles", type=Path, help="folder of .txt articles for find_spans")
    parser.add_argument("--mentions", type=int, default=20_000)
    args = parser.parse_args(argv)
    default = settings.default_gazetteer()
    paths: list[Path] = args.gazetteer or ([default] if default else [])

    rss_before = rss_mb()
    started = time.perf_counter()
    gazetteer = build_gazetteer(paths, args.polygons)
    load_s = time.perf_counter() - started
    geocoder = Geocoder(gazetteer)
    print(f"sources        {', '.join(gazetteer.sources)}")
    print(f"places         {len(gazetteer):,}")
    print(f"load           {load_s:.2f} s")
    print(f"RSS after load {rss_mb():.0f} MB (before {rss_before:.0f} MB, peak {peak_mb():.0f} MB)")

    rng = random.Random(7)
    populated = [p for p in gazetteer if p.feature_class == "P"]
    names = [rng.choice(populated).name for _ in range(args.mentions)]
    names += [n[:-1] + "x" for n in names[: args.mentions // 10]]  # misspelt: fuzzy path
    context = [PlaceMention(name=rng.choice(populated).name) for _ in range(4)]
    timings: list[float] = []
    for name in names:
        t0 = time.perf_counter()
        geocoder.resolve(PlaceMention(name=name), context)
        timings.append(time.perf_counter() - t0)
    p50, p99 = percentile(timings, 0.5) * 1e3, percentile(timings, 0.99) * 1e3
    print(
        f"resolve        p50 {p50:.3f} ms  p99 {p99:.3f} ms"
        f"  mean {statistics.fmean(timings) * 1e3:.3f} ms  ({len(names):,} mentions, 4 context places)"
    )

    if args.articles:
        texts = [p.read_text(encoding="utf-8", errors="replace") for p in sorted(args.articles.glob("*.txt"))]
    else:
        texts = [
            _SAMPLE_TEXT.format(**{k: rng.choice(populated).name for k in "abcd"}, r="Mopti") * 4 for _ in range(500)
        ]
    started = time.perf_counter()
    rounds = 0
    while time.perf_counter() - started < 2.0:
        for text in texts:
            gazetteer.find_spans(text)
        rounds += 1
    elapsed = time.perf_counter() - started
    chars = sum(len(t) for t in texts) / len(texts)
    print(f"find_spans     {rounds * len(texts) / elapsed:,.0f} articles/s (mean {chars:,.0f} chars)")
    print(f"RSS at end     {rss_mb():.0f} MB")


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


if __name__ == "__main__":
    main()
