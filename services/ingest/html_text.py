"""HTML to text: full pages through trafilatura, fragments (feed summaries) through a tag stripper."""

from __future__ import annotations

import html as html_lib
import re
from dataclasses import dataclass
from datetime import UTC, date, datetime
from html.parser import HTMLParser

import trafilatura

_BLOCK_TAGS = {
    "p", "div", "br", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "table",
    "section", "article", "blockquote", "header", "footer", "figure", "figcaption", "hr", "pre",
}  # fmt: skip
_SKIP_TAGS = {"script", "style", "noscript", "template", "svg", "iframe"}


@dataclass(frozen=True, slots=True)
class HtmlExtract:
    text: str
    title: str | None = None
    url: str | None = None
    source: str | None = None
    published_at: datetime | None = None
    language: str | None = None


class _TextCollector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skipping = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIP_TAGS:
            self._skipping += 1
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP_TAGS:
            self._skipping = max(0, self._skipping - 1)
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self._skipping:
            self.parts.append(data)


def fragment_to_text(fragment: str) -> str:
    """Text of an HTML fragment, one line per block element; plain text passes through."""
    if "<" not in fragment:
        return html_lib.unescape(fragment).strip()
    collector = _TextCollector()
    collector.feed(fragment)
    collector.close()
    lines = (re.sub(r"[ \t\u00a0]+", " ", line).strip() for line in "".join(collector.parts).split("\n"))
    return "\n".join(line for line in lines if line)


def _date(value: object) -> datetime | None:
    if not isinstance(value, str) or not value:
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        try:
            day = date.fromisoformat(value[:10])
        except ValueError:
            return None
        parsed = datetime(day.year, day.month, day.day)
    return parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed.astimezone(UTC)


def _str(value: object) -> str | None:
    return value.strip() or None if isinstance(value, str) else None


def extract_html(page: bytes | str, *, url: str | None = None) -> HtmlExtract:
    """Main text and metadata of a page; falls back to all visible text for short fragments."""
    document = trafilatura.bare_extraction(
        page,
        url=url,
        with_metadata=True,
        include_comments=False,
        include_tables=False,
        date_extraction_params={"extensive_search": False, "original_date": True},
    )
    text = _str(getattr(document, "text", None)) if document is not None else None
    if text is None:
        raw = page.decode("utf-8", errors="replace") if isinstance(page, bytes) else page
        return HtmlExtract(text=fragment_to_text(raw))
    return HtmlExtract(
        text=text,
        title=_str(getattr(document, "title", None)),
        url=_str(getattr(document, "url", None)),
        source=_str(getattr(document, "sitename", None)),
        published_at=_date(getattr(document, "date", None)),
        language=_str(getattr(document, "language", None)),
    )
