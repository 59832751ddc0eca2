"""Download GeoNames country dumps (``https://download.geonames.org/export/dump/{CC}.zip``).

Thin on purpose: the parser is what is tested; this only fetches and unzips.
``python -m sahelwatch.gazetteer.fetch ML BF NE --dest data/gazetteer``
"""

from __future__ import annotations

import argparse
import io
import zipfile
from collections.abc import Sequence
from pathlib import Path

import httpx

from sahelwatch.errors import GazetteerError

DUMP_URL = "https://download.geonames.org/export/dump/{code}.zip"


def fetch(
    countries: Sequence[str],
    dest_dir: Path,
    *,
    timeout: float = 120.0,
    transport: httpx.BaseTransport | None = None,
) -> list[Path]:
    """Download and unzip each country's dump into ``dest_dir``; returns the ``{CC}.txt`` paths."""
    dest_dir.mkdir(parents=True, exist_ok=True)
    paths: list[Path] = []
    with httpx.Client(timeout=timeout, follow_redirects=True, transport=transport) as client:
        for raw in countries:
            code = raw.strip().upper()
            try:
                response = client.get(DUMP_URL.format(code=code))
                response.raise_for_status()
                with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
                    archive.extract(f"{code}.txt", dest_dir)
            except (httpx.HTTPError, zipfile.BadZipFile, KeyError) as exc:
                raise GazetteerError(f"cannot fetch GeoNames dump for {code}: {exc}") from exc
            paths.append(dest_dir / f"{code}.txt")
    return paths


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("countries", nargs="+", help="ISO 3166 alpha-2 codes, e.g. ML BF NE")
    parser.add_argument("--dest", type=Path, default=Path("data/gazetteer"))
    args = parser.parse_args(argv)
    for path in fetch(args.countries, args.dest):
        print(path)


if __name__ == "__main__":
    main()
