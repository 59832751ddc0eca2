from __future__ import annotations

from pathlib import Path

import pytest

from sahelwatch.errors import GazetteerError
from sahelwatch.gazetteer.geonames import ParseStats, iter_geonames, parse_row

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "gazetteer"
ML, BF = FIXTURES / "mali_fixture.txt", FIXTURES / "burkina_fixture.txt"


def test_parses_rows_and_counts_bad_ones() -> None:
    stats = ParseStats()
    rows = list(iter_geonames(ML, stats))
    assert stats.skipped == 2  # five columns; latitude "north"
    assert stats.rows == len(rows) + 2
    by_id = {place.geonameid: (place, names) for place, names in rows}
    timbuktu, names = by_id[9000007]
    assert (timbuktu.name, timbuktu.feature_code, timbuktu.admin1_code) == ("Timbuktu", "PPLA", "08")
    assert timbuktu.population == 32000
    assert timbuktu.latitude == pytest.approx(16.77)
    assert "Tombouctou" in names
    assert timbuktu.names_count == len(names)
    assert any("line" in example for example in stats.examples)


def test_ascii_name_is_a_name() -> None:
    rows = {p.geonameid: names for p, names in iter_geonames(ML)}
    assert rows[9000008][:2] == ["Sévaré", "Sevare"]


def test_missing_file_is_a_gazetteer_error(tmp_path: Path) -> None:
    with pytest.raises(GazetteerError, match="cannot read gazetteer file"):
        list(iter_geonames(tmp_path / "XX.txt"))


def test_out_of_range_coordinates_are_rejected() -> None:
    row = BF.read_text(encoding="utf-8").splitlines()[0].split("\t")
    row[4] = "123.0"
    with pytest.raises(ValueError, match="out of range"):
        parse_row(row)
