"""From a ``RawArticle`` to the ``Article`` contract: cleaned text, stable ids, stamps."""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime
from pathlib import Path

from sahelwatch.contracts import Article
from sahelwatch.errors import BadInput

from .clean import clean_text, looks_like_headline
from .formats import RawArticle
from .html_text import extract_html
from .identity import article_id, content_hash, host_of

ARTICLE_SUFFIXES = frozenset({".txt", ".json", ".html", ".htm", ".md"})

_FR = frozenset(
    [
        "le",
        "la",
        "les",
        "des",
        "du",
        "une",
        "est",
        "dans",
        "pour",
        "sur",
        "avec",
        "par",
        "qui",
        "que",
        "au",
        "aux",
        "été",
        "ont",
        "selon",
    ]
)
_EN = frozenset(
    [
        "the",
        "of",
        "and",
        "in",
        "to",
        "was",
        "were",
        "is",
        "by",
        "on",
        "for",
        "with",
        "that",
        "said",
        "from",
        "have",
        "has",
        "at",
    ]
)
_TOKEN = re.compile(r"[a-zà-ÿ]+")


def guess_language(text: str) -> str | None:
    """``en`` or ``fr`` from function-word counts over the first ~3000 characters; None if unclear."""
    tokens = _TOKEN.findall(text[:3000].lower())
    en = sum(token in _EN for token in tokens)
    fr = sum(token in _FR for token in tokens)
    if max(en, fr) < 3:
        return None
    if en >= 2 * fr:
        return "en"
    if fr >= 2 * en:
        return "fr"
    return None


def _title_from(text: str) -> str | None:
    first = text.split("\n", 1)[0].strip()
    return first if first and looks_like_headline(first) and len(first) <= 300 else None


def normalise(raw: RawArticle, *, trace_id: str | None = None, now: datetime | None = None) -> Article:
    """Clean the text and stamp the article; BadInput (422) when no text is left."""
    text = raw.text
    url = raw.url.strip() if raw.url and raw.url.strip() else None
    title, source, published, language = raw.title, raw.source, raw.published_at, raw.language
    if text is None and raw.html is not None:
        found = extract_html(raw.html, url=url)
        text = found.text
        url = url or found.url
        title = title or found.title
        source = source or found.source
        published = published or found.published_at
        language = language or found.language
    if text is None or not text.strip():
        raise BadInput("text: the article has no text", status=422)
    cleaned = clean_text(text)
    if not cleaned:
        raise BadInput("text: nothing but page chrome (navigation, subscription or share lines)", status=422)
    stamp = now or datetime.now(UTC)
    return Article(
        trace_id=trace_id or uuid.uuid4().hex,
        stamps={"ingested": stamp},
        article_id=article_id(url, cleaned),
        url=url,
        title=(title.strip() or None) if title else _title_from(cleaned),
        source=(source.strip() or None) if source else host_of(url),
        published_at=published,
        language=language or guess_language(cleaned),
        text=cleaned,
        path=raw.path,
        content_hash=content_hash(cleaned),
    )


def _hidden(path: Path, root: Path) -> bool:
    return any(part.startswith(".") for part in path.relative_to(root).parts)


def iter_article_paths(paths: Sequence[Path]) -> Iterator[Path]:
    """Files as given, and article files under folders (recursively, sorted, hidden ones skipped).

    A path that does not exist raises BadInput (404) before anything is yielded.
    """
    missing = [str(path) for path in paths if not path.exists()]
    if missing:
        raise BadInput(f"no such file or folder: {', '.join(missing)}", status=404)
    seen: set[Path] = set()
    for path in paths:
        if path.is_dir():
            found = sorted(
                candidate
                for candidate in path.rglob("*")
                if candidate.is_file() and candidate.suffix.lower() in ARTICLE_SUFFIXES and not _hidden(candidate, path)
            )
        else:
            found = [path]
        for candidate in found:
            key = candidate.resolve()
            if key not in seen:
                seen.add(key)
                yield candidate
