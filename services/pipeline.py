"""The stages' pure logic composed in-process: what ``sahelwatch extract`` and ``process`` run.

The services call the same functions one stage at a time; here they run back to back with no
server, so the command line and the pipeline cannot drift apart.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from functools import cached_property
from pathlib import Path

from sahelwatch.contracts import Article, CanonicalIncident, IncidentRecord, PlaceMention
from sahelwatch.gazetteer import Gazetteer, load_gazetteer
from sahelwatch.settings import Settings
from services.alerting.merge import merge_all
from services.extraction.actors import ActorDictionary
from services.extraction.extract import extract_records
from services.geocoding.resolve import Geocoder
from services.ingest.formats import parse_file
from services.ingest.near_duplicates import NearDuplicateIndex
from services.ingest.normalise import normalise


class Pipeline:
    """Stage logic with its data (gazetteer, actors) loaded once."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings

    @cached_property
    def gazetteer(self) -> Gazetteer:
        path = self.settings.default_gazetteer()
        return load_gazetteer([path] if path else None, self.settings.default_admin_polygons())

    @cached_property
    def geocoder(self) -> Geocoder:
        return Geocoder(self.gazetteer, self.settings.conflict_regions)

    @cached_property
    def actors(self) -> ActorDictionary:
        return ActorDictionary.load(self.settings.actors_path)

    def read_article(self, path: Path) -> Article:
        article = normalise(parse_file(path, path.read_bytes()))
        return article.model_copy(update={"path": str(path)})

    def extract(self, article: Article) -> list[IncidentRecord]:
        records = extract_records(article, self.gazetteer, self.actors)
        for record in records:
            record.article = article.path or record.article
        return records

    def geocode(self, records: Sequence[IncidentRecord]) -> list[IncidentRecord]:
        context = places_of(records)
        return [self.geocoder.geocode(record, context) for record in records]

    def extract_file(self, path: Path) -> list[IncidentRecord]:
        return self.geocode(self.extract(self.read_article(path)))

    def process(self, paths: Iterable[Path], now: datetime | None = None) -> list[CanonicalIncident]:
        """Extract, geocode and merge; near-duplicate files count as one report, as at ingest."""
        near = NearDuplicateIndex()
        records: list[IncidentRecord] = []
        for path in paths:
            article = self.read_article(path)
            article.duplicate_of = near.add(article.article_id, article.text)
            records.extend(self.geocode(self.extract(article)))
        return merge_all(records, now or datetime.now(UTC))


def places_of(records: Iterable[IncidentRecord]) -> list[PlaceMention]:
    """The article's place mentions: context for disambiguating each record's place."""
    return [record.place for record in records if record.place is not None]
