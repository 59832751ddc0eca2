"""RawArticle -> Article: cleaned text, ids, title, source, stamps; article paths."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from sahelwatch.contracts import Article
from sahelwatch.errors import BadInput
from services.ingest.formats import RawArticle, parse_file, parse_text
from services.ingest.identity import article_id, content_hash
from services.ingest.normalise import guess_language, iter_article_paths, normalise

SEEDS = Path(__file__).resolve().parents[3] / "seeds"
NOW = datetime(2026, 11, 20, 23, 30, tzinfo=UTC)


def test_seed_000_normalised() -> None:
    path = SEEDS / "seed_000.txt"
    article = normalise(parse_file(path, path.read_bytes()), trace_id="t-1", now=NOW)
    assert isinstance(article, Article)
    assert article.trace_id == "t-1"
    assert article.stamps == {"ingested": NOW}
    assert article.title == "US Orders Departure of Personnel from Mali"
    assert article.url is None and article.source is None and article.published_at is None
    assert article.language == "en"
    assert article.path == str(path)
    assert "Sign up to read" not in article.text
    assert "Militants killed 15 soldiers and three civilians" in article.text
    assert article.content_hash == content_hash(article.text)
    assert article.article_id == article_id(None, article.text)
    assert article.duplicate_of is None


def test_headers_win_and_source_defaults_to_host() -> None:
    raw = parse_text(
        "URL: https://www.example.org/mali/attack?utm_source=x\nDate: 2024-03-05\n\n"
        "Gunmen killed four villagers near Bandiagara on Tuesday, local officials said."
    )
    article = normalise(raw, now=NOW)
    assert article.source == "example.org"
    assert article.title is None  # the only line is a sentence, not a headline
    assert article.published_at == datetime(2024, 3, 5, tzinfo=UTC)
    assert article.article_id == article_id("https://www.example.org/mali/attack", "")
    assert len(article.trace_id) == 32


def test_same_url_same_id_exact_copy_same_hash() -> None:
    text = "Gunmen killed four villagers near Bandiagara on Tuesday, local officials said."
    first = normalise(RawArticle(url="https://example.org/a", text=text))
    again = normalise(RawArticle(url="https://example.org/a/#x", text=text + "\n\nShare this article"))
    elsewhere = normalise(RawArticle(url="https://other.example/b", text="  " + text.upper()))
    assert first.article_id == again.article_id
    assert first.content_hash == again.content_hash == elsewhere.content_hash
    assert elsewhere.article_id != first.article_id
    assert first.trace_id != again.trace_id


def test_html_raw_article_is_extracted() -> None:
    html = "<div><p>Gunmen killed four villagers near Bandiagara on Tuesday, local officials said.</p></div>"
    article = normalise(RawArticle(html=html))
    assert article.text == "Gunmen killed four villagers near Bandiagara on Tuesday, local officials said."


def test_no_text_refused() -> None:
    with pytest.raises(BadInput, match="no text") as err:
        normalise(RawArticle(url="https://example.org/a"))
    assert err.value.status == 422
    with pytest.raises(BadInput, match="page chrome"):
        normalise(RawArticle(text="Sign in\nSubscribe\nShare this article"))


def test_guess_language() -> None:
    assert guess_language("Des hommes armés ont tué sept civils dans le village, selon les sources locales.") == "fr"
    assert guess_language("Gunmen killed seven civilians in the village, according to the local sources.") == "en"
    assert guess_language("Gao Kidal") is None


def test_iter_article_paths(tmp_path: Path) -> None:
    (tmp_path / "b").mkdir()
    (tmp_path / ".git").mkdir()
    for name in ("b/2.json", "b/1.HTML", "a.txt", "notes.csv", ".hidden.txt", ".git/x.txt", "c.md"):
        (tmp_path / name).write_text("x")
    single = tmp_path / "notes.csv"
    found = list(iter_article_paths([tmp_path, single, tmp_path / "a.txt"]))
    assert [p.relative_to(tmp_path).as_posix() for p in found] == [
        "a.txt",
        "b/1.HTML",
        "b/2.json",
        "c.md",
        "notes.csv",
    ]


def test_iter_article_paths_missing(tmp_path: Path) -> None:
    with pytest.raises(BadInput, match="no such file") as err:
        list(iter_article_paths([tmp_path / "nope"]))
    assert err.value.status == 404


def test_seeds_folder() -> None:
    found = [p.name for p in iter_article_paths([SEEDS])]
    assert found == [f"seed_00{i}.txt" for i in range(5)]
