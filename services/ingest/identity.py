"""Stable identities: canonical URLs, article ids and content hashes."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

TRACKING_PARAMS = frozenset({"fbclid", "gclid", "dclid", "msclkid", "mc_cid", "mc_eid", "igshid", "ocid"})
_DEFAULT_PORTS = {"http": 80, "https": 443}
_NON_WORD = re.compile(r"[\W_]+")


def canonical_url(url: str) -> str:
    """Lowercase scheme and host, no fragment, default port, tracking parameters or trailing slash.

    Non-web identifiers (``acled:MLI1316``) only have their scheme lowercased.
    """
    url = url.strip()
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme not in _DEFAULT_PORTS or not parts.netloc:
        return f"{scheme}:{url.split(':', 1)[1]}" if scheme else url
    host = (parts.hostname or "").rstrip(".")
    if ":" in host:  # IPv6 literal
        host = f"[{host}]"
    try:
        port = parts.port
    except ValueError:
        port = None
    netloc = host if port in (None, _DEFAULT_PORTS[scheme]) else f"{host}:{port}"
    if parts.username:
        netloc = f"{parts.username}@{netloc}"
    query = [
        (key, value)
        for key, value in parse_qsl(parts.query, keep_blank_values=True)
        if not key.lower().startswith("utm_") and key.lower() not in TRACKING_PARAMS
    ]
    path = parts.path.rstrip("/")
    return urlunsplit((scheme, netloc, path, urlencode(query, doseq=True), ""))


def host_of(url: str | None) -> str | None:
    """The host of an http(s) URL without ``www.``, e.g. ``reuters.com``; None otherwise."""
    if not url:
        return None
    parts = urlsplit(url.strip())
    if parts.scheme.lower() not in _DEFAULT_PORTS or not parts.hostname:
        return None
    host = parts.hostname.rstrip(".")
    return host.removeprefix("www.")


def normalised_for_hash(text: str) -> str:
    """Case, whitespace and punctuation-insensitive form: NFKC, casefolded, words joined by spaces."""
    return _NON_WORD.sub(" ", unicodedata.normalize("NFKC", text).casefold()).strip()


def content_hash(text: str) -> str:
    """sha256 (hex) of the normalised text: the same words in any layout give the same hash."""
    return hashlib.sha256(normalised_for_hash(text).encode("utf-8")).hexdigest()


def article_id(url: str | None, text: str) -> str:
    """``art-`` + 20 hex chars of sha256 of the canonical URL, or of the normalised text if no URL."""
    basis = canonical_url(url) if url and url.strip() else "text:" + normalised_for_hash(text)
    return "art-" + hashlib.sha256(basis.encode("utf-8")).hexdigest()[:20]
