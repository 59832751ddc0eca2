"""``make bench``: speed of the product, measured on real servers (never in unit tests).

1. extract: ``sahelwatch extract``'s in-process path, one core: articles/s and ms per article.
2. throughput: the local stack (real redis-server, mongod, four services); articles posted as fast
   as the ingest edge takes them; sustained articles/s until every article has passed alerting.
3. latency: articles posted at a fixed rate (default 50/s); ingest -> alert per article, p50/p99.
4. memory: each service's RSS (``process_resident_memory_bytes``) after the runs.

Articles are the project's seeds and fixtures (plus ../shared/eval news when present), made unique
per copy (date and a reference line) so that none is an exact duplicate and incidents stay apart.
"""

from __future__ import annotations

import argparse
import asyncio
import shutil
import tempfile
import time
from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
from pymongo import MongoClient

from sahelwatch import storage
from sahelwatch.settings import PROJECT_ROOT, SHARED_DIR, Settings, load_settings
from services import stack
from services.ingest.formats import parse_file, split_headers
from services.pipeline import Pipeline


def corpus() -> list[Path]:
    paths = sorted((PROJECT_ROOT / "seeds").glob("*.txt"))
    paths += sorted((PROJECT_ROOT / "tests" / "fixtures" / "articles").glob("*.txt"))
    paths += sorted((SHARED_DIR / "eval" / "news" / "dev" / "articles").glob("[0-9]*.txt"))
    return paths


def variant(path: Path, n: int) -> str:
    """Copy ``n`` of an article: its own URL, publication date and reference line."""
    _, body = split_headers(path.read_text(encoding="utf-8"))
    day = date(2020, 1, 1) + timedelta(days=n % 2000)
    return (
        f"URL: https://bench.example.org/{n}/{path.stem}\nDate: {day.isoformat()}\n\n"
        f"{body.strip()}\n\nThis copy, reference {letters(n)}, was filed by the benchmark desk for its readers."
    )


def letters(n: int) -> str:
    """``n`` spelt in letters: digits alone may be ignored by duplicate detection."""
    word = ""
    while True:
        n, rest = divmod(n, 26)
        word += "abcdefghijklmnopqrstuvwxyz"[rest]
        if n == 0:
            return word


def percentile(values: Sequence[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q / 100 * (len(ordered) - 1)))]


def bench_extract(paths: Sequence[Path], rounds: int) -> dict[str, float]:
    pipeline = Pipeline(load_settings())
    started = time.perf_counter()
    pipeline.gazetteer  # noqa: B018 - loading is measured apart
    load_s = time.perf_counter() - started
    articles = [parse_file(p, p.read_bytes()) for p in paths]
    timings = []
    for _ in range(rounds):
        for path in paths:
            t = time.perf_counter()
            pipeline.extract_file(path)
            timings.append(time.perf_counter() - t)
    total = sum(timings)
    del articles
    return {
        "gazetteer_load_s": load_s,
        "articles": len(timings),
        "articles_per_s": len(timings) / total,
        "p50_ms": percentile(timings, 50) * 1000,
        "p99_ms": percentile(timings, 99) * 1000,
    }


async def post_all(url: str, bodies: Sequence[str], rate: float | None, concurrency: int = 16) -> list[str]:
    ids: list[str] = []
    queue: asyncio.Queue[str] = asyncio.Queue()
    for body in bodies:
        queue.put_nowait(body)
    started = time.perf_counter()
    sent = 0

    async def worker(client: httpx.AsyncClient) -> None:
        nonlocal sent
        while not queue.empty():
            body = queue.get_nowait()
            if rate is not None:
                due = started + sent / rate
                sent += 1
                await asyncio.sleep(max(0.0, due - time.perf_counter()))
            response = await client.post("/articles", content=body, headers={"content-type": "text/plain"})
            response.raise_for_status()
            ids.append(response.json()["article_id"])

    async with httpx.AsyncClient(base_url=url, timeout=60) as client:
        await asyncio.gather(*(worker(client) for _ in range(concurrency)))
    return ids


def wait_done(db: Any, ids: Sequence[str], timeout: float = 600) -> float:
    """When every article of ``ids`` is through alerting (each poll asks only about those left,
    so the benchmark's own queries do not load the MongoDB it measures)."""
    deadline = time.monotonic() + timeout
    left = list(ids)
    while time.monotonic() < deadline:
        left = [doc["_id"] for doc in db[storage.ARTICLES].find(storage.not_through_pipeline(left), {"_id": 1})]
        if not left:
            return time.monotonic()
        time.sleep(0.05)
    raise TimeoutError(f"{len(left)} articles not through alerting after {timeout}s")


def latencies(db: Any, ids: Sequence[str]) -> list[float]:
    out = []
    for doc in db[storage.ARTICLES].find({"_id": {"$in": list(ids)}, "alerted_at": {"$exists": True}}):
        ingested = datetime.fromisoformat(doc["stamps"]["ingested"].replace("Z", "+00:00"))
        alerted = doc["alerted_at"].replace(tzinfo=UTC)
        out.append((alerted - ingested).total_seconds())
    return out


def service_metrics(state: stack.StackState) -> dict[str, dict[str, float]]:
    """Per service: RSS in MB, and mean handling time per message in ms (where it consumes)."""
    out: dict[str, dict[str, float]] = {}
    for stage, info in state.services.items():
        values: dict[str, float] = {}
        for line in httpx.get(f"{info['url']}/metrics", timeout=5).text.splitlines():
            name, _, value = line.rpartition(" ")
            if name == "process_resident_memory_bytes":
                values["rss_mb"] = float(value) / 2**20
            elif name.startswith("sahelwatch_handle_seconds_sum"):
                values["handle_sum"] = float(value)
            elif name.startswith("sahelwatch_handle_seconds_count"):
                values["handle_count"] = float(value)
        if values.get("handle_count"):
            values["handle_mean_ms"] = 1000 * values["handle_sum"] / values["handle_count"]
        out[stage] = values
    return out


def bench_stack(
    settings: Settings,
    paths: Sequence[Path],
    n_throughput: int,
    n_latency: int,
    rate: float,
    extraction_workers: int = 1,
) -> dict[str, Any]:
    state = stack.up(settings, workers={"extraction": extraction_workers})
    client: MongoClient[storage.Doc] = MongoClient(state.mongo_url, tz_aware=True)
    db = client[settings.mongo_db]
    try:
        warm = [variant(paths[i % len(paths)], 10_000_000 + i) for i in range(50)]
        wait_done(db, asyncio.run(post_all(state.ingest_url, warm, None)))
        bodies = [variant(paths[i % len(paths)], i) for i in range(n_throughput)]
        started = time.monotonic()
        ids = asyncio.run(post_all(state.ingest_url, bodies, None))
        posted = time.monotonic()
        finished = wait_done(db, ids)
        records = db[storage.GEOCODED].count_documents({"article_id": {"$in": ids}})
        bodies = [variant(paths[i % len(paths)], 5_000_000 + i) for i in range(n_latency)]
        lat_ids = asyncio.run(post_all(state.ingest_url, bodies, rate, concurrency=8))
        wait_done(db, lat_ids)
        lat = latencies(db, lat_ids)
        return {
            "throughput_articles": len(ids),
            "records": records,
            "ingest_articles_per_s": len(ids) / (posted - started),
            "pipeline_articles_per_s": len(ids) / (finished - started),
            "latency_rate_per_s": rate,
            "latency_articles": len(lat),
            "latency_p50_ms": percentile(lat, 50) * 1000,
            "latency_p99_ms": percentile(lat, 99) * 1000,
            "services": service_metrics(state),
        }
    finally:
        client.close()
        stack.down(settings)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m services.bench", description=__doc__)
    parser.add_argument("--rounds", type=int, default=10, help="extract: passes over the corpus")
    parser.add_argument("--articles", type=int, default=2000, help="throughput: articles to push")
    parser.add_argument("--latency-articles", type=int, default=500)
    parser.add_argument("--rate", type=float, default=50.0, help="latency: articles per second")
    parser.add_argument("--skip-stack", action="store_true", help="only the in-process extract benchmark")
    parser.add_argument(
        "--extraction-workers", type=int, default=2, help="extraction processes in the stack (one consumer group)"
    )
    args = parser.parse_args(argv)
    paths = corpus()
    print(f"corpus: {len(paths)} articles")
    ex = bench_extract(paths, args.rounds)
    print(
        f"extract (1 core): {ex['articles_per_s']:.0f} articles/s over {ex['articles']:.0f} articles, "
        f"p50 {ex['p50_ms']:.1f} ms, p99 {ex['p99_ms']:.1f} ms (gazetteer load {ex['gazetteer_load_s']:.1f} s)"
    )
    if args.skip_stack:
        return 0
    scratch = Path(tempfile.mkdtemp(prefix="sahelwatch-bench-"))
    settings = load_settings().model_copy(update={"state_dir": scratch})
    try:
        st = bench_stack(settings, paths, args.articles, args.latency_articles, args.rate, args.extraction_workers)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    print(f"stack: {args.extraction_workers} extraction worker(s), batches of up to {settings.batch_max} messages")
    print(
        f"pipeline: {st['throughput_articles']} articles ({st['records']} records) through all four services: "
        f"{st['pipeline_articles_per_s']:.0f} articles/s sustained "
        f"(ingest edge took {st['ingest_articles_per_s']:.0f}/s)"
    )
    print(
        f"latency ingest->alert at {st['latency_rate_per_s']:.0f} articles/s: p50 {st['latency_p50_ms']:.0f} ms, "
        f"p99 {st['latency_p99_ms']:.0f} ms over {st['latency_articles']} articles"
    )
    for stage, values in st["services"].items():
        handle = f", {values['handle_mean_ms']:.1f} ms per message" if "handle_mean_ms" in values else ""
        print(f"  {stage:<10} RSS {values.get('rss_mb', 0):.0f} MB{handle}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
