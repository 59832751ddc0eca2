"""``sahelwatch process`` on files: merging across articles, syndicated copies counted once."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from services.cli import main

ROOT = Path(__file__).resolve().parents[2]
ARTICLES = ROOT / "tests" / "fixtures" / "articles"
GAZETTEER = ROOT / "tests" / "fixtures" / "gazetteer" / "mali_fixture.txt"


def test_process_merges_reports_and_counts_a_syndicated_copy_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("SAHELWATCH_GAZETTEER_PATH", str(GAZETTEER))
    original = (ARTICLES / "gao_ied_a.txt").read_text(encoding="utf-8")
    copy = original.replace("https://sahel-daily.example.org/", "https://mirror.example.net/").replace(
        "in a statement on Thursday", "in a statement released on Thursday"
    )
    (tmp_path / "copy.txt").write_text(copy, encoding="utf-8")
    paths = [ARTICLES / "gao_ied_a.txt", ARTICLES / "gao_ied_b.txt", tmp_path / "copy.txt"]

    assert main(["process", *map(str, paths)]) == 0

    incidents = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    (gao,) = [i for i in incidents if (i["location"] or {}).get("name") == "Gao"]
    assert len(gao["sources"]) == 3
    assert gao["report_count"] == 2
    copies = [s for s in gao["sources"] if s["url"].startswith("https://mirror.example.net/")]
    assert len(copies) == 1 and copies[0]["duplicate_of"] is not None
    assert gao["fatalities"] == 4
