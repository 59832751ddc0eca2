from __future__ import annotations

from sahelwatch.contracts import IncidentRecord, PlaceMention
from sahelwatch.telemetry import REGISTRY
from services.geocoding.resolve import Geocoder


def record(place: PlaceMention | None) -> IncidentRecord:
    return IncidentRecord(trace_id="t1", record_id="a1:0", article_id="a1", place=place)


def count(name: str, **labels: str) -> float:
    return REGISTRY.get_sample_value(name, labels) or 0.0


def test_geocode_sets_location_on_a_copy_and_counts(geocoder: Geocoder) -> None:
    original = record(PlaceMention(name="Gao"))
    resolved_before = count("sahelwatch_geocode_results_total", outcome="resolved")
    precision_before = count("sahelwatch_geo_precision_total", precision="1")
    lookups_before = count("sahelwatch_geocode_lookup_seconds_count")
    out = geocoder.geocode(original, [original.place] if original.place else [])
    assert original.location is None
    assert out.location is not None
    assert (out.location.name, out.location.latitude, out.location.admin1) == ("Gao", 16.27, "Gao")
    assert out.record_id == original.record_id
    assert count("sahelwatch_geocode_results_total", outcome="resolved") == resolved_before + 1
    assert count("sahelwatch_geo_precision_total", precision="1") == precision_before + 1
    assert count("sahelwatch_geocode_lookup_seconds_count") == lookups_before + 1


def test_geocode_unknown_and_missing_place(geocoder: Geocoder) -> None:
    unresolved = count("sahelwatch_geocode_results_total", outcome="unresolved")
    no_place = count("sahelwatch_geocode_results_total", outcome="no_place")
    unknown = geocoder.geocode(record(PlaceMention(name="Atlantis")), []).location
    assert unknown is not None and unknown.name == "Atlantis"  # named as in the text...
    assert (unknown.latitude, unknown.longitude, unknown.geo_precision) == (None, None, None)  # ...no point
    assert geocoder.geocode(record(None), []).location is None
    assert count("sahelwatch_geocode_results_total", outcome="unresolved") == unresolved + 1
    assert count("sahelwatch_geocode_results_total", outcome="no_place") == no_place + 1


def test_geocode_takes_country_focus_from_the_article(geocoder: Geocoder) -> None:
    place = PlaceMention(name="Boni")
    context = [PlaceMention(name="Burkina Faso", relation="country"), place]
    out = geocoder.geocode(record(place), context)
    assert out.location is not None and out.location.country_code == "BF"
    assert out.location.country == "Burkina Faso"


def test_geocode_is_idempotent(geocoder: Geocoder) -> None:
    rec = record(PlaceMention(name="Kati", admin_hint="Tombouctou"))
    first, second = geocoder.geocode(rec, []), geocoder.geocode(rec, [])
    assert first.model_dump() == second.model_dump()


def test_country_focus_counts_towns_of_one_country(geocoder: Geocoder) -> None:
    place = PlaceMention(name="Boni")
    context = [PlaceMention(name="Burkina Faso", relation="country"), PlaceMention(name="Douentza"),
               PlaceMention(name="Sévaré"), place]  # fmt: skip
    out = geocoder.geocode(record(place), context)
    assert out.location is not None and out.location.country_code == "ML"
