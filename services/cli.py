"""The ``sahelwatch`` command line (see README: the command-line contract)."""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from sahelwatch.errors import SahelwatchError
from sahelwatch.settings import load_settings


def _cmd_extract(args: argparse.Namespace) -> int:
    from services.ingest.normalise import iter_article_paths
    from services.pipeline import Pipeline

    pipeline = Pipeline(load_settings())
    failures = 0
    out = sys.stdout
    for path in iter_article_paths([Path(p) for p in args.files]):
        try:
            records = pipeline.extract_file(path)
        except (SahelwatchError, OSError, UnicodeDecodeError) as exc:
            failures += 1
            print(f"sahelwatch extract: {path}: {exc}", file=sys.stderr)
            continue
        for record in records:
            out.write(record.model_dump_json(exclude_none=False) + "\n")
    return 1 if failures else 0


def _cmd_process(args: argparse.Namespace) -> int:
    from services.ingest.normalise import iter_article_paths
    from services.pipeline import Pipeline

    pipeline = Pipeline(load_settings())
    paths = list(iter_article_paths([Path(p) for p in args.paths]))
    for incident in pipeline.process(paths):
        sys.stdout.write(incident.model_dump_json() + "\n")
    return 0


def _cmd_serve(args: argparse.Namespace) -> int:
    from sahelwatch.runtime import serve
    from sahelwatch.telemetry import setup_logging

    setup_logging()
    settings = load_settings()
    app = service_app(args.stage, settings)
    serve(app, settings.host, settings.service_port(args.stage))
    return 0


def service_app(stage: str, settings: object) -> object:
    if stage == "ingest":
        from services.ingest.app import create_app as ingest_app

        return ingest_app(settings)  # type: ignore[arg-type]
    if stage == "extraction":
        from services.extraction.app import create_app as extraction_app

        return extraction_app(settings)  # type: ignore[arg-type]
    if stage == "geocoding":
        from services.geocoding.app import create_app as geocoding_app

        return geocoding_app(settings)  # type: ignore[arg-type]
    from services.alerting.app import create_app as alerting_app

    return alerting_app(settings)  # type: ignore[arg-type]


def _cmd_up(args: argparse.Namespace) -> int:
    from services import stack

    settings = load_settings()
    started = time.monotonic()
    state = stack.up(settings)
    print(f"stack up in {time.monotonic() - started:.1f}s")
    print(f"  redis   {state.redis_url}\n  mongodb {state.mongo_url}")
    for stage, info in state.services.items():
        print(f"  {stage:<10} {info['url']}  (metrics {info['url']}/metrics)")
    print("stop it with: sahelwatch down")
    return 0


def _cmd_down(args: argparse.Namespace) -> int:
    from services import stack

    stopped = stack.down(load_settings())
    print("stopped: " + (", ".join(stopped) if stopped else "nothing was running"))
    return 0


def _cmd_ingest(args: argparse.Namespace) -> int:
    from services.ingest.client import post_paths

    settings = load_settings()
    url = args.url or _recorded_ingest_url(settings)
    results = post_paths(url, [Path(p) for p in args.paths])
    failed = 0
    for path, status, body in results:
        ok = status in (200, 202)
        failed += not ok
        print(f"{status} {path}: {json.dumps(body)}", file=sys.stdout if ok else sys.stderr)
    return 1 if failed else 0


def _recorded_ingest_url(settings: object) -> str:
    from services import stack

    path = stack.state_file(settings)  # type: ignore[arg-type]
    if not path.exists():
        raise SahelwatchError("no running stack recorded: start one with 'sahelwatch up' or pass --url")
    return stack.StackState.load(path).ingest_url


def _cmd_demo(args: argparse.Namespace) -> int:
    from services.demo import run_demo

    return run_demo(load_settings(), [Path(p) for p in args.paths], Path(args.out))


def _cmd_gazetteer_fetch(args: argparse.Namespace) -> int:
    from sahelwatch.gazetteer.fetch import fetch

    for path in fetch(args.countries, Path(args.dest)):
        print(path)
    return 0


def _cmd_asyncapi(args: argparse.Namespace) -> int:
    from services.asyncapi import write_asyncapi

    for path in write_asyncapi(Path(args.dest)):
        print(path)
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="sahelwatch", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("extract", help="articles -> incident/advisory records (JSON Lines), no server needed")
    p.add_argument("files", nargs="+")
    p.set_defaults(func=_cmd_extract)

    p = sub.add_parser("process", help="articles -> merged canonical incidents (JSON Lines), no server needed")
    p.add_argument("paths", nargs="+")
    p.set_defaults(func=_cmd_process)

    p = sub.add_parser("serve", help="run one service (HTTP /health, /metrics)")
    p.add_argument("stage", choices=["ingest", "extraction", "geocoding", "alerting"])
    p.set_defaults(func=_cmd_serve)

    p = sub.add_parser("up", help="start redis, mongod and the four services locally")
    p.set_defaults(func=_cmd_up)
    p = sub.add_parser("down", help="stop what 'up' started")
    p.set_defaults(func=_cmd_down)

    p = sub.add_parser("ingest", help="post article files/folders to the ingest service")
    p.add_argument("paths", nargs="+")
    p.add_argument("--url", help="ingest base URL (default: the running local stack)")
    p.set_defaults(func=_cmd_ingest)

    p = sub.add_parser("demo", help="what 'make run' does: up, ingest, wait, print, write out/, down")
    p.add_argument("paths", nargs="*", default=["seeds"])
    p.add_argument("--out", default="out")
    p.set_defaults(func=_cmd_demo)

    p = sub.add_parser("gazetteer", help="gazetteer data")
    gsub = p.add_subparsers(dest="gcommand", required=True)
    g = gsub.add_parser("fetch", help="download GeoNames country files (e.g. ML BF NE)")
    g.add_argument("countries", nargs="+")
    g.add_argument("--dest", default="data/gazetteer")
    g.set_defaults(func=_cmd_gazetteer_fetch)

    p = sub.add_parser("asyncapi", help="write the AsyncAPI documents of the four services")
    p.add_argument("--dest", default="docs/asyncapi")
    p.set_defaults(func=_cmd_asyncapi)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return int(args.func(args))
    except SahelwatchError as exc:
        print(f"sahelwatch: {exc}", file=sys.stderr)
        return 2
    except BrokenPipeError:
        return 0


if __name__ == "__main__":
    sys.exit(main())
