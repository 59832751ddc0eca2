"""Article files, JSON bodies and HTML pages parsed into RawArticle; refusals name field and status."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from sahelwatch.errors import BadInput
from services.ingest.formats import ArticleIn, parse_body, parse_file, parse_json, parse_text, split_headers

BODY = (
    "Gunmen on motorbikes killed four villagers near Bandiagara on Tuesday, local officials said.\n"
    "The attackers also burned granaries before fleeing towards the border."
)


def test_headers_then_text() -> None:
    data = (
        "URL: https://example.org/news/bandiagara-attack\n"
        "Title: Four killed near Bandiagara\n"
        "Source: Example Daily\n"
        "Date: 2024-03-05\n"
        "Language: EN\n\n" + BODY
    ).encode()
    raw = parse_text(data, "a.txt")
    assert raw.url == "https://example.org/news/bandiagara-attack"
    assert raw.title == "Four killed near Bandiagara"
    assert raw.source == "Example Daily"
    assert raw.published_at == datetime(2024, 3, 5, tzinfo=UTC)
    assert raw.language == "en"
    assert raw.text == BODY
    assert raw.path == "a.txt"


def test_eval_style_upper_case_keys_and_unknown_date() -> None:
    raw = parse_text(f"URL: https://example.org/x\nDATE: unknown\n\n{BODY}")
    assert raw.url == "https://example.org/x"
    assert raw.published_at is None
    assert raw.text == BODY


def test_unknown_date_with_a_note_and_url_with_a_note() -> None:
    raw = parse_text("URL: https://example.org/x (stored via a proxy)\nDATE: unknown (page shows 2022)\n\n" + BODY)
    assert raw.url == "https://example.org/x"
    assert raw.published_at is None


def test_datetime_header_is_utc() -> None:
    raw = parse_text(f"Published: 2024-03-05T10:30:00+02:00\n\n{BODY}")
    assert raw.published_at == datetime(2024, 3, 5, 8, 30, tzinfo=UTC)


@pytest.mark.parametrize("value", ["July 29, 2022", "29 juillet 2022", "Fri, 29 Jul 2022 00:00:00 GMT"])
def test_written_out_date_header(value: str) -> None:
    assert parse_text(f"Date: {value}\n\n{BODY}").published_at == datetime(2022, 7, 29, tzinfo=UTC)


@pytest.mark.parametrize("value", ["not a date at all xyz", "yesterday", "July 2022"])
def test_bad_date_header_is_refused_naming_it(value: str) -> None:
    with pytest.raises(BadInput, match="Date header") as err:
        parse_text(f"Date: {value}\n\n{BODY}")
    assert err.value.status == 422


def test_bad_date_header_message() -> None:
    with pytest.raises(BadInput, match="Date header") as err:
        parse_text(f"Date: not a date at all xyz\n\n{BODY}")
    assert err.value.status == 422


def test_no_headers_is_all_text() -> None:
    raw = parse_text(BODY)
    assert raw.url is None and raw.title is None
    assert raw.text == BODY


def test_headline_with_colon_is_not_a_header() -> None:
    text = "Mali: Military Warns of Risk of Suicide Attacks in Bamako\n\n" + BODY
    assert split_headers(text) == ({}, text)
    assert parse_text(text).text == text


def test_source_line_glued_to_text_is_text() -> None:
    text = "Source: AFP\n" + BODY
    assert parse_text(text).text == text


def test_empty_body_refused() -> None:
    with pytest.raises(BadInput, match="no text") as err:
        parse_text("URL: https://example.org/x\n\n   \n")
    assert err.value.status == 422


def test_bad_encoding_is_400() -> None:
    with pytest.raises(BadInput, match="UTF-8") as err:
        parse_text(b"Gunmen killed \xff\xfe four people.")
    assert err.value.status == 400


def test_too_large_is_413() -> None:
    with pytest.raises(BadInput, match="too large") as err:
        parse_text(b"x" * 2000, max_bytes=1000)
    assert err.value.status == 413


# --------------------------------------------------------------------------- JSON


def test_json_article() -> None:
    payload = {
        "url": "https://example.org/a",
        "title": "Four killed",
        "source": "Example Daily",
        "published_at": "2024-03-05",
        "language": "fr",
        "text": BODY,
    }
    raw = parse_json(json.dumps(payload).encode())
    assert raw.url == "https://example.org/a"
    assert raw.published_at == datetime(2024, 3, 5, tzinfo=UTC)
    assert raw.language == "fr"
    assert raw.text == BODY


@pytest.mark.parametrize(
    ("body", "status", "message"),
    [
        (b'{"text": "abc"', 400, "malformed JSON"),
        (b"[1, 2]", 422, "must be an object"),
        (b'{"text": "x", "author": "me"}', 422, "author: unknown field"),
        (b'{"text": "x", "html": "<p>x</p>"}', 422, "exactly one of 'text' or 'html'"),
        (b"{}", 422, "exactly one of 'text' or 'html'"),
        (b'{"text": "   "}', 422, "'text' is empty"),
        (b'{"text": "x", "url": "ftp://example.org/a"}', 422, "url: must be an http"),
        (b'{"text": "x", "published_at": "last week"}', 422, "published_at"),
        (b'{"text": "x", "language": "english language"}', 422, "language"),
    ],
)
def test_json_errors_name_the_problem(body: bytes, status: int, message: str) -> None:
    with pytest.raises(BadInput, match=message) as err:
        parse_json(body)
    assert err.value.status == status


def test_json_text_over_limit_is_413() -> None:
    with pytest.raises(BadInput) as err:
        parse_json(json.dumps({"text": "y" * 1500}).encode(), max_bytes=1000)
    assert err.value.status == 413


def test_article_in_model_naive_datetime_is_utc() -> None:
    article = ArticleIn(text=BODY, published_at=datetime(2024, 3, 5, 9, 0))
    assert article.published_at == datetime(2024, 3, 5, 9, 0, tzinfo=UTC)


# --------------------------------------------------------------------------- HTML

PAGE = f"""<!DOCTYPE html>
<html lang="en"><head>
<title>Four killed near Bandiagara | Example Daily</title>
<meta property="og:title" content="Four killed near Bandiagara">
<meta property="og:url" content="https://example.org/news/bandiagara">
<meta property="og:site_name" content="Example Daily">
<meta property="article:published_time" content="2024-03-05T08:00:00Z">
</head><body>
<nav><a href="/">Home</a> <a href="/world">World</a> <a href="/login">Sign in</a></nav>
<article>
<h1>Four killed near Bandiagara</h1>
<p>{BODY.splitlines()[0]}</p>
<p>{BODY.splitlines()[1]}</p>
<p>Residents said the same village had been attacked twice since January, and that most families
had already left for Mopti, where aid groups have set up temporary shelters for displaced people.</p>
</article>
<footer>Subscribe to our newsletter. All rights reserved.</footer>
</body></html>"""


def test_html_page_main_text_and_metadata() -> None:
    raw = parse_file(Path("page.html"), PAGE.encode())
    assert raw.text is not None
    assert "killed four villagers near Bandiagara" in raw.text
    assert "Subscribe" not in raw.text and "Sign in" not in raw.text
    assert raw.title == "Four killed near Bandiagara"
    assert raw.url == "https://example.org/news/bandiagara"
    assert raw.published_at is not None and raw.published_at.date().isoformat() == "2024-03-05"


def test_html_sniffed_in_txt_file() -> None:
    raw = parse_file(Path("saved.txt"), PAGE.encode())
    assert raw.text is not None and "Bandiagara" in raw.text
    assert "<p>" not in raw.text


def test_json_html_body_is_reduced_to_text() -> None:
    raw = parse_json(json.dumps({"url": "https://example.org/b", "html": PAGE}).encode())
    assert raw.html is None
    assert raw.text is not None and "killed four villagers" in raw.text
    assert raw.url == "https://example.org/b"  # the given URL wins over the page's


def test_html_without_text_is_refused() -> None:
    with pytest.raises(BadInput, match="no article text") as err:
        parse_file(Path("empty.html"), b"<html><body><script>var x=1;</script></body></html>")
    assert err.value.status == 422


def test_parse_file_dispatch(tmp_path: Path) -> None:
    assert parse_file(Path("a.json"), json.dumps({"text": BODY}).encode()).text == BODY
    assert parse_file(Path("a.md"), BODY.encode()).text == BODY
    assert parse_file(Path("article"), BODY.encode()).text == BODY


def test_parse_body_by_media_type() -> None:
    assert parse_body(BODY.encode(), "text/plain; charset=utf-8").text == BODY
    assert parse_body(json.dumps({"text": BODY}).encode(), "application/json").text == BODY
    html = parse_body(PAGE.encode(), "text/plain")
    assert html.text is not None and "<p>" not in html.text and "Bandiagara" in html.text
    with pytest.raises(BadInput, match="unsupported media type") as err:
        parse_body(b"%PDF-1.4", "application/pdf")
    assert err.value.status == 415
