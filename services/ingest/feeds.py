"""RSS and Atom feeds parsed into ``RawArticle``s (the polling loop is ``poller.FeedPoller``)."""

from __future__ import annotations

import calendar
import time
from datetime import UTC, datetime
from typing import Any

import feedparser

from sahelwatch.errors import BadInput

from .formats import RawArticle
from .html_text import fragment_to_text

_HTML_TYPES = {"text/html", "application/xhtml+xml", "html", "xhtml"}


def _datetime(entry: Any) -> datetime | None:
    for key in ("published_parsed", "updated_parsed", "created_parsed"):
        value = entry.get(key)
        if isinstance(value, time.struct_time):
            return datetime.fromtimestamp(calendar.timegm(value), tz=UTC)
    return None


def _body(entry: Any) -> str | None:
    """Text of the fullest of content / summary (HTML reduced to text, one line per block)."""
    candidates: list[tuple[str, str]] = []
    for content in entry.get("content") or []:
        candidates.append((content.get("value") or "", content.get("type") or ""))
    if entry.get("summary"):
        detail = entry.get("summary_detail") or {}
        candidates.append((entry["summary"], detail.get("type") or "text/html"))
    candidates = [(value, kind) for value, kind in candidates if value.strip()]
    if not candidates:
        return None
    value, kind = max(candidates, key=lambda c: len(c[0]))
    if kind.lower() in _HTML_TYPES or "<" in value:
        return fragment_to_text(value) or None
    return value.strip() or None


def parse_feed(data: bytes) -> list[RawArticle]:
    """The entries of an RSS/Atom document, newest first as the feed lists them.

    An entry with neither content nor summary comes back with ``text`` None: fetch its ``url``.
    A document that is not a feed raises BadInput (422).
    """
    parsed = feedparser.parse(data)
    if parsed.get("bozo") and not parsed.get("entries") and not parsed.get("feed"):
        problem = parsed.get("bozo_exception")
        raise BadInput(f"feed: not an RSS or Atom document ({problem})", status=422)
    if not parsed.get("version") and not parsed.get("entries"):
        raise BadInput("feed: not an RSS or Atom document", status=422)
    feed = parsed.get("feed") or {}
    source = (feed.get("title") or "").strip() or None
    language = (feed.get("language") or "").strip().lower() or None
    articles = []
    for entry in parsed.get("entries") or []:
        text = _body(entry)
        articles.append(
            RawArticle(
                url=(entry.get("link") or "").strip() or None,
                title=fragment_to_text(entry.get("title") or "") or None,
                source=source,
                published_at=_datetime(entry),
                language=language,
                text=text,
            )
        )
    return articles
