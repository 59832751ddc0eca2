"""``make run``: start the local stack, push articles through the four services, show the result.

Waits on the pipeline's own bookkeeping: extraction records how many records an article gave
(``n_records``), alerting adds each record it handled to ``alerted_records``; an article is done
when both agree. Everything started is stopped at the end, whatever happened.
"""

from __future__ import annotations

import json
import shutil
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from pymongo import MongoClient

from sahelwatch import storage
from sahelwatch.errors import StackError
from sahelwatch.settings import Settings
from services import stack
from services.ingest.client import post_paths

WAIT_TIMEOUT_S = 120.0


def run_demo(settings: Settings, paths: Sequence[Path], out_dir: Path) -> int:
    """Runs on a fresh stack of its own (``<state_dir>/demo``), so every run shows the same thing."""
    demo_dir = settings.state_dir / "demo"
    shutil.rmtree(demo_dir, ignore_errors=True)
    settings = settings.model_copy(update={"state_dir": demo_dir})
    began = time.monotonic()
    print("sahelwatch: starting the local stack (redis-server, mongod, 4 services)...", flush=True)
    state = stack.up(settings)
    stack_s = time.monotonic() - began
    print(f"  stack up in {stack_s:.1f}s; ingest at {state.ingest_url}", flush=True)
    try:
        accepted = ingest(state.ingest_url, paths)
        client: MongoClient[storage.Doc] = MongoClient(state.mongo_url, tz_aware=True)
        try:
            db = client[settings.mongo_db]
            first_incident_s = wait_for_pipeline(db, accepted, began)
            incidents = list(db[storage.INCIDENTS].find({}, {"published_mark": 0}).sort("first_seen_at", 1))
            alerts = list(db[storage.ALERTS].find({}).sort("created_at", 1))
        finally:
            client.close()
        print_incidents(incidents)
        print_alerts(alerts)
        written = write_outputs(out_dir, incidents, alerts)
        total_s = time.monotonic() - began
        print(f"\nwrote {', '.join(str(p) for p in written)}")
        print(f"timings: stack start {stack_s:.1f}s, first incident {first_incident_s:.1f}s, total {total_s:.1f}s")
    finally:
        stopped = stack.down(settings)
        print(f"stopped: {', '.join(stopped)}", flush=True)
    return 0


def ingest(url: str, paths: Sequence[Path]) -> list[str]:
    accepted: list[str] = []
    for path, status, body in post_paths(url, paths):
        if status == 202:
            accepted.append(body["article_id"])
            print(f"  ingested  {path}  -> {body['article_id']}", flush=True)
        elif status == 200:
            print(f"  duplicate {path}  (same as {body.get('duplicate_of')})", flush=True)
        else:
            print(f"  REFUSED   {path}  HTTP {status}: {body}", file=sys.stderr, flush=True)
    return accepted


def wait_for_pipeline(db: Any, article_ids: Sequence[str], began: float) -> float:
    """Block until every article has passed alerting; returns seconds to the first incident."""
    deadline = time.monotonic() + WAIT_TIMEOUT_S
    first_incident: float | None = None
    last_line = ""
    while True:
        done = len(article_ids) - db[storage.ARTICLES].count_documents(storage.not_through_pipeline(article_ids))
        if first_incident is None and db[storage.INCIDENTS].find_one({}, {"_id": 1}) is not None:
            first_incident = time.monotonic() - began
        line = f"  pipeline: {done}/{len(article_ids)} articles through alerting"
        if line != last_line:
            print(line, flush=True)
            last_line = line
        if done == len(article_ids):
            return first_incident if first_incident is not None else time.monotonic() - began
        if time.monotonic() > deadline:
            raise StackError(f"timed out: only {done}/{len(article_ids)} articles passed alerting")
        time.sleep(0.1)


def _place(doc: storage.Doc) -> tuple[str, str]:
    loc = doc.get("location") or {}
    name = loc.get("name") or "?"
    admin = f" ({loc['admin1']})" if loc.get("admin1") and loc.get("admin1") != name else ""
    coords = f"{loc['latitude']:.3f},{loc['longitude']:.3f}" if loc.get("latitude") is not None else "-"
    return f"{name}{admin}", coords


def print_incidents(incidents: Sequence[storage.Doc]) -> None:
    print(f"\nINCIDENTS ({len(incidents)})")
    header = f"{'date':<10}  {'kind':<8}  {'type':<38}  {'place':<28}  {'lat,lon':<16}  {'dead':>4}  reports"
    print(header)
    print("-" * len(header))
    for doc in incidents:
        place, coords = _place(doc)
        kind = doc.get("kind", "")
        what = doc.get("sub_event_type") or ""
        if kind == "advisory":
            adv = doc.get("advisory") or {}
            what = f"{adv.get('issuer') or '?'}: {adv.get('level') or 'advisory'}"
        dead = doc.get("fatalities")
        print(
            f"{doc.get('event_date') or '?':<10}  {kind:<8}  {what[:38]:<38}  {place[:28]:<28}  "
            f"{coords:<16}  {'' if dead is None else dead:>4}  {_reports(doc)}"
        )


def _reports(doc: storage.Doc) -> str:
    """Independent reports, and the syndicated copies on top of them: '2' or '2+1'."""
    urls = len(doc.get("sources", []))
    reports = int(doc.get("report_count", urls))
    return f"{reports}+{urls - reports}" if urls > reports else str(reports)


def print_alerts(alerts: Sequence[storage.Doc]) -> None:
    print(f"\nALERTS ({len(alerts)})")
    for doc in alerts:
        print(f"  [{doc.get('severity', '?'):<8}] {doc.get('rule', '?'):<18} {doc.get('title', '')}")


def write_outputs(out_dir: Path, incidents: Sequence[storage.Doc], alerts: Sequence[storage.Doc]) -> list[Path]:
    out_dir.mkdir(parents=True, exist_ok=True)
    features = []
    for doc in incidents:
        loc = doc.get("location") or {}
        geometry = (
            {"type": "Point", "coordinates": [loc["longitude"], loc["latitude"]]}
            if loc.get("latitude") is not None
            else None
        )
        properties = {k: v for k, v in doc.items() if k not in ("_id", "geo")}
        features.append({"type": "Feature", "id": doc["_id"], "geometry": geometry, "properties": properties})
    geojson = out_dir / "incidents.geojson"
    geojson.write_text(json.dumps({"type": "FeatureCollection", "features": features}, indent=1, default=str))
    incidents_jsonl = out_dir / "incidents.jsonl"
    incidents_jsonl.write_text(
        "".join(json.dumps(storage.strip_storage_fields(d), default=str) + "\n" for d in incidents)
    )
    alerts_jsonl = out_dir / "alerts.jsonl"
    alerts_jsonl.write_text(
        "".join(
            json.dumps(storage.strip_storage_fields(d, "deliveries", "delivered"), default=str) + "\n" for d in alerts
        )
    )
    return [geojson, incidents_jsonl, alerts_jsonl]
