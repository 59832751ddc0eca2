"""Input formats (article files, JSON, HTML pages) parsed into one ``RawArticle``.

Pure: no I/O beyond the bytes given. Every refusal is a ``BadInput`` whose message names the field
and whose ``status`` is the HTTP code the edge should answer with (400 malformed JSON or bad
encoding, 413 too large, 415 unsupported media type, 422 semantic validation).
"""

from __future__ import annotations

import json
import re
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from sahelwatch.errors import BadInput
from sahelwatch.settings import Settings

from .html_text import HtmlExtract, extract_html

MAX_ARTICLE_BYTES: int = Settings.model_fields["max_article_bytes"].default

HEADER_KEYS: dict[str, str] = {
    "url": "url",
    "link": "url",
    "title": "title",
    "source": "source",
    "date": "published_at",
    "published": "published_at",
    "published_at": "published_at",
    "language": "language",
    "lang": "language",
}
_HEADER_RE = re.compile(r"^\s*([A-Za-z_]+)\s*:\s*(.*?)\s*$")
_UNKNOWN_DATES = {"", "unknown", "none", "null", "n/a", "na", "-", "?"}
_ISO_DATE_PREFIX = re.compile(r"^(\d{4}-\d{2}-\d{2})(?:[T ][0-9:.+\-Z]+)?")
_LANGUAGE_RE = re.compile(r"^[A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{2,8})?$")


class RawArticle(BaseModel):
    """An article as given, before cleaning. ``text`` or ``html`` (feed entries may have neither)."""

    model_config = ConfigDict(extra="forbid")

    url: str | None = None
    title: str | None = None
    source: str | None = None
    published_at: datetime | None = None
    language: str | None = None
    text: str | None = None
    html: str | None = None
    path: str | None = None


# --------------------------------------------------------------------------- dates


def as_utc(value: datetime) -> datetime:
    """Naive datetimes are taken as UTC; aware ones are converted to UTC."""
    if value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value.astimezone(UTC)


def parse_date(value: str, *, field: str = "date") -> datetime | None:
    """ISO date or datetime (or ``unknown``) from a header; a date alone is midnight UTC."""
    cleaned = value.strip()
    if cleaned.lower() in _UNKNOWN_DATES or cleaned.split()[0].lower().strip(".,;:()") in _UNKNOWN_DATES:
        return None
    try:
        return as_utc(datetime.fromisoformat(cleaned.replace("Z", "+00:00")))
    except ValueError:
        pass
    match = _ISO_DATE_PREFIX.match(cleaned)  # "2022-03-15 (from URL)"
    if match:
        try:
            day = date.fromisoformat(match.group(1))
        except ValueError:
            pass
        else:
            return datetime(day.year, day.month, day.day, tzinfo=UTC)
    import dateparser  # slow import: only for the rare non-ISO header

    parsed = dateparser.parse(
        cleaned,
        settings={
            "RETURN_AS_TIMEZONE_AWARE": False,
            "STRICT_PARSING": True,  # day, month and year all given
            "PARSERS": ["timestamp", "custom-formats", "absolute-time"],  # no "yesterday" in a header
        },
    )
    if parsed is None:
        raise BadInput(f"{field}: cannot read {value!r} as a date (use YYYY-MM-DD or 'unknown')", status=422)
    return as_utc(parsed)


# --------------------------------------------------------------------------- bytes


def check_size(data: bytes | str, max_bytes: int = MAX_ARTICLE_BYTES) -> None:
    size = len(data.encode("utf-8")) if isinstance(data, str) else len(data)
    if size > max_bytes:
        raise BadInput(f"article too large: {size} bytes, the limit is {max_bytes}", status=413)


def decode(data: bytes, *, what: str = "article") -> str:
    """UTF-8 (with or without BOM); anything else is refused (400), naming the byte offset."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise BadInput(
            f"{what}: not valid UTF-8 (byte 0x{data[exc.start]:02x} at offset {exc.start})", status=400
        ) from exc


# --------------------------------------------------------------------------- article files


def split_headers(text: str) -> tuple[dict[str, str], str]:
    """Leading ``Key: value`` lines with known keys, up to the first blank line; then the body.

    Only known keys count, so a first line like ``Mali: Military Warns of ...`` is text.
    """
    lines = text.splitlines()
    headers: dict[str, str] = {}
    index = 0
    while index < len(lines):
        match = _HEADER_RE.match(lines[index])
        if not match or match.group(1).lower() not in HEADER_KEYS:
            break
        headers[HEADER_KEYS[match.group(1).lower()]] = match.group(2)
        index += 1
    if not headers:
        return {}, text
    if index < len(lines) and lines[index].strip() and set(headers) <= {"source", "title"}:
        # "Source: AFP" straight above the text, with no blank line, is text rather than a header
        return {}, text
    return headers, "\n".join(lines[index:]).strip("\n")


def parse_text(data: bytes | str, path: Path | str | None = None, *, max_bytes: int = MAX_ARTICLE_BYTES) -> RawArticle:
    """An article file: optional header lines, then the text."""
    check_size(data, max_bytes)
    text = decode(data) if isinstance(data, bytes) else data
    headers, body = split_headers(text.replace("\r\n", "\n").replace("\r", "\n"))
    if not body.strip():
        raise BadInput("text: the article has no text", status=422)
    published = headers.get("published_at")
    language = headers.get("language") or None
    url = headers.get("url", "").split()  # "https://... (stored via proxy ...)": the address only
    return RawArticle(
        url=url[0] if url else None,
        title=headers.get("title") or None,
        source=headers.get("source") or None,
        published_at=parse_date(published, field="Date header") if published is not None else None,
        language=_check_language(language) if language else None,
        text=body,
        path=str(path) if path is not None else None,
    )


def _check_language(value: str) -> str:
    if not _LANGUAGE_RE.match(value.strip()):
        raise BadInput(f"language: {value!r} is not a language code like 'en' or 'fr'", status=422)
    return value.strip().lower().replace("_", "-")


# --------------------------------------------------------------------------- JSON


class ArticleIn(BaseModel):
    """Body of ``POST /articles`` (and of ``.json`` article files)."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    url: str | None = Field(default=None, max_length=4096, description="http(s) address of the article.")
    title: str | None = Field(default=None, max_length=1000)
    source: str | None = Field(default=None, max_length=300, description="Outlet name.")
    published_at: datetime | None = Field(default=None, description="ISO date or datetime; naive is UTC.")
    language: str | None = Field(default=None, description="ISO 639 code, e.g. 'en', 'fr'.")
    text: str | None = Field(default=None, max_length=MAX_ARTICLE_BYTES, description="Plain text.")
    html: str | None = Field(default=None, max_length=MAX_ARTICLE_BYTES, description="An HTML page.")

    @field_validator("url")
    @classmethod
    def _http_url(cls, value: str | None) -> str | None:
        if not value:
            return None
        if not re.match(r"^https?://[^\s/?#]+", value, re.IGNORECASE):
            raise ValueError("must be an http:// or https:// address")
        return value

    @field_validator("published_at")
    @classmethod
    def _utc(cls, value: datetime | None) -> datetime | None:
        return as_utc(value) if value is not None else None

    @field_validator("language")
    @classmethod
    def _language(cls, value: str | None) -> str | None:
        if value is None:
            return None
        if not _LANGUAGE_RE.match(value):
            raise ValueError("must be a language code like 'en' or 'fr'")
        return value.lower().replace("_", "-")

    @model_validator(mode="after")
    def _one_body(self) -> ArticleIn:
        given = [name for name in ("text", "html") if getattr(self, name) is not None]
        if len(given) != 1:
            raise ValueError("give exactly one of 'text' or 'html'")
        if not getattr(self, given[0]):
            raise ValueError(f"'{given[0]}' is empty")
        return self

    def to_raw(self, path: str | None = None) -> RawArticle:
        """The raw article; an ``html`` body is reduced to its main text here (422 when none)."""
        raw = RawArticle(
            url=self.url,
            title=self.title,
            source=self.source,
            published_at=self.published_at,
            language=self.language,
            text=self.text,
            path=path,
        )
        if self.html is not None:
            return _merge_html(raw, extract_html(self.html, url=self.url), what="html")
        return raw


def validation_message(exc: ValidationError) -> str:
    """``field: problem; ...`` from a pydantic error, for BadInput messages."""
    parts = []
    for err in exc.errors():
        loc = ".".join(str(p) for p in err["loc"]) or "body"
        msg = err["msg"].removeprefix("Value error, ")
        if err["type"] == "extra_forbidden":
            msg = f"unknown field (accepted: {', '.join(ArticleIn.model_fields)})"
        parts.append(f"{loc}: {msg}")
    return "; ".join(parts)


def parse_json(data: bytes | str, path: Path | str | None = None, *, max_bytes: int = MAX_ARTICLE_BYTES) -> RawArticle:
    """A JSON article object (see ``ArticleIn``); unknown fields are refused."""
    check_size(data, max_bytes)
    text = decode(data, what="JSON body") if isinstance(data, bytes) else data
    try:
        payload: Any = json.loads(text)
    except json.JSONDecodeError as exc:
        raise BadInput(f"malformed JSON: {exc.msg} at line {exc.lineno} column {exc.colno}", status=400) from exc
    if not isinstance(payload, dict):
        raise BadInput(f"JSON body must be an object, not {type(payload).__name__}", status=422)
    try:
        article = ArticleIn.model_validate(payload)
    except ValidationError as exc:
        too_long = any(
            err["type"] == "string_too_long" for err in exc.errors() if err["loc"][-1:] in (("text",), ("html",))
        )
        raise BadInput(validation_message(exc), status=413 if too_long else 422) from exc
    return article.to_raw(str(path) if path is not None else None)


# --------------------------------------------------------------------------- HTML


def _merge_html(raw: RawArticle, found: HtmlExtract, *, what: str) -> RawArticle:
    if not found.text.strip():
        raise BadInput(f"{what}: no article text found in the page", status=422)
    return raw.model_copy(
        update={
            "text": found.text,
            "html": None,
            "url": raw.url or found.url,
            "title": raw.title or found.title,
            "source": raw.source or found.source,
            "published_at": raw.published_at or found.published_at,
            "language": raw.language or found.language,
        }
    )


def parse_html(data: bytes | str, path: Path | str | None = None, *, max_bytes: int = MAX_ARTICLE_BYTES) -> RawArticle:
    """A full HTML page: main text via trafilatura, with title/date/url from its metadata."""
    check_size(data, max_bytes)
    found = extract_html(data)
    return _merge_html(RawArticle(path=str(path) if path is not None else None), found, what="html")


# --------------------------------------------------------------------------- dispatch

_HTML_SNIFF = re.compile(
    rb"^\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html[\s>]|head[\s>]|body[\s>])", re.IGNORECASE | re.DOTALL
)
TEXT_SUFFIXES = {".txt", ".md", ".text", ""}
HTML_SUFFIXES = {".html", ".htm", ".xhtml"}


def looks_like_html(data: bytes) -> bool:
    return bool(_HTML_SNIFF.match(data[:4096].lstrip(b"\xef\xbb\xbf")))


def parse_file(path: Path, data: bytes, *, max_bytes: int = MAX_ARTICLE_BYTES) -> RawArticle:
    """Choose the format by extension, then by content (an HTML page saved as .txt is HTML)."""
    suffix = path.suffix.lower()
    if suffix == ".json":
        return parse_json(data, path, max_bytes=max_bytes)
    if suffix in HTML_SUFFIXES or looks_like_html(data):
        return parse_html(data, path, max_bytes=max_bytes)
    if suffix not in TEXT_SUFFIXES and data.lstrip(b"\xef\xbb\xbf \t\r\n")[:1] == b"{":
        return parse_json(data, path, max_bytes=max_bytes)
    return parse_text(data, path, max_bytes=max_bytes)


_MEDIA_TYPES = {
    "application/json": parse_json,
    "text/plain": parse_text,
    "text/markdown": parse_text,
    "text/html": parse_html,
    "application/xhtml+xml": parse_html,
}


def parse_body(data: bytes, content_type: str | None, *, max_bytes: int = MAX_ARTICLE_BYTES) -> RawArticle:
    """An HTTP request body by its Content-Type (415 for anything else); HTML sent as text is HTML."""
    media = (content_type or "application/json").split(";")[0].strip().lower()
    parser = _MEDIA_TYPES.get(media)
    if parser is None:
        accepted = ", ".join(_MEDIA_TYPES)
        raise BadInput(f"unsupported media type {media!r} (accepted: {accepted})", status=415)
    if parser is parse_text and looks_like_html(data):
        parser = parse_html
    return parser(data, None, max_bytes=max_bytes)
