"""RSS/Atom polling: every configured feed is fetched on a schedule and its new entries ingested.

Per feed, the poller keeps its state in MongoDB (``feeds``: ETag, Last-Modified, last poll, last
error, counts), so a restart neither refetches unchanged feeds nor re-reads old entries: an entry
whose article id (from its canonical URL) is already stored is skipped without fetching its page.
An entry that carries no text, or only a short summary, has its page fetched and reduced to the
main text (trafilatura), the way ``POST /articles`` treats HTML.

Nothing here stops the loop: a feed that is down, a page that fails, an entry refused as bad input
are logged with the feed's URL, counted in ``sahelwatch_feed_*`` metrics, and retried next round.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import httpx
from pymongo.asynchronous.collection import AsyncCollection

from sahelwatch import storage, telemetry
from sahelwatch.contracts import utcnow
from sahelwatch.errors import BadInput

from .feeds import parse_feed
from .formats import RawArticle, parse_html
from .identity import article_id
from .service import IngestService

log = logging.getLogger(__name__)

FEEDS = "feeds"
MIN_TEXT_CHARS = 600  # shorter than this, an entry's text is a teaser: the page is fetched
USER_AGENT = "sahelwatch-feed-poller/1 (+https://github.com/sahelwatch)"


@dataclass
class PollResult:
    """What one poll of one feed did."""

    feed: str
    status: str  # ok | not_modified | error
    entries: int = 0
    accepted: list[str] = field(default_factory=list)
    duplicates: int = 0
    skipped: int = 0  # already stored: not fetched again
    failed: int = 0
    error: str | None = None

    def as_json(self) -> dict[str, Any]:
        return {
            "feed": self.feed,
            "status": self.status,
            "entries": self.entries,
            "accepted": len(self.accepted),
            "duplicates": self.duplicates,
            "skipped": self.skipped,
            "failed": self.failed,
            "error": self.error,
        }


class FeedPoller:
    def __init__(
        self,
        service: IngestService,
        feeds: Sequence[str],
        *,
        interval_s: float = 300.0,
        http: httpx.AsyncClient | None = None,
        max_bytes: int = 2_000_000,
    ) -> None:
        self.service = service
        self.feeds = list(dict.fromkeys(feeds))
        self.interval_s = interval_s
        self.state: AsyncCollection[storage.Doc] = service.articles.database[FEEDS]
        self.http = http or httpx.AsyncClient(
            timeout=httpx.Timeout(20.0), follow_redirects=True, headers={"user-agent": USER_AGENT}
        )
        self.max_bytes = max_bytes
        self._lock = asyncio.Lock()
        self._task: asyncio.Task[None] | None = None

    async def start(self) -> None:
        if self.feeds:
            self._task = asyncio.create_task(self._run(), name="feed-poller")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
        await self.http.aclose()

    async def _run(self) -> None:
        while True:
            try:
                await self.poll_all()
            except Exception:  # MongoDB unreachable while saving a feed's state: next round retries
                log.exception("feed poll round failed")
            await asyncio.sleep(self.interval_s)  # the schedule itself, not a synchronisation

    async def poll_all(self) -> list[PollResult]:
        """One round over every feed, one feed at a time (rounds never overlap)."""
        async with self._lock:
            return [await self.poll(feed) for feed in self.feeds]

    async def status(self) -> list[storage.Doc]:
        """Stored state of every configured feed (for ``GET /feeds``)."""
        found = {doc["_id"]: doc async for doc in self.state.find({"_id": {"$in": self.feeds}})}
        return [found.get(feed, {"_id": feed, "polls": 0}) for feed in self.feeds]

    async def poll(self, feed: str) -> PollResult:
        try:
            result = await self._poll(feed)
        except Exception as exc:  # the feed is down or is not a feed: next round retries
            result = PollResult(feed, "error", error=_describe(exc))
            log.warning("feed poll failed", extra={"feed": feed, "error": result.error})
        telemetry.FEED_POLLS.labels(outcome=result.status).inc()
        now = utcnow()
        await self.state.update_one(
            {"_id": feed},
            {
                "$set": {"last_polled_at": now, "last_status": result.status, "last_error": result.error}
                | ({"last_ok_at": now} if result.status != "error" else {}),
                "$inc": {"polls": 1, "accepted": len(result.accepted), "failed": result.failed},
            },
            upsert=True,
        )
        return result

    async def _poll(self, feed: str) -> PollResult:
        state = await self.state.find_one({"_id": feed}) or {}
        headers = {}
        if state.get("etag"):
            headers["if-none-match"] = state["etag"]
        if state.get("last_modified"):
            headers["if-modified-since"] = state["last_modified"]
        response = await self.http.get(feed, headers=headers)
        if response.status_code == 304:
            return PollResult(feed, "not_modified")
        response.raise_for_status()
        entries = parse_feed(response.content)
        result = PollResult(feed, "ok", entries=len(entries))
        for entry in reversed(entries):  # oldest first, as they were published
            await self._ingest(entry, result)
        await self.state.update_one(
            {"_id": feed},
            {"$set": {"etag": response.headers.get("etag"), "last_modified": response.headers.get("last-modified")}},
            upsert=True,
        )
        return result

    async def _ingest(self, entry: RawArticle, result: PollResult) -> None:
        if entry.url and await self.service.articles.find_one({"_id": article_id(entry.url, "")}, {"_id": 1}):
            result.skipped += 1
            return
        try:
            raw = await self._complete(entry)
            outcome = await self.service.accept(raw, via="rss")
        except Exception as exc:  # one bad entry never stops the feed
            result.failed += 1
            reason = str(exc.status) if isinstance(exc, BadInput) else "fetch"
            telemetry.FEED_ENTRIES_FAILED.labels(reason=reason).inc()
            log.warning("feed entry not ingested", extra={"url": entry.url, "error": _describe(exc)})
            return
        if outcome.status == "accepted":
            result.accepted.append(outcome.article_id)
        else:
            result.duplicates += 1

    async def _complete(self, entry: RawArticle) -> RawArticle:
        """The entry with its full text: its page's main text when the feed gives only a teaser."""
        if entry.text and (len(entry.text) >= MIN_TEXT_CHARS or not entry.url):
            return entry
        if not entry.url:
            raise BadInput("feed entry has neither text nor link", status=422)
        response = await self.http.get(entry.url)
        response.raise_for_status()
        try:
            page = parse_html(response.content, max_bytes=self.max_bytes)
        except BadInput:
            if entry.text:  # a page with no readable article (script-only, paywall): the feed's text
                return entry
            raise
        return page.model_copy(
            update={
                "url": entry.url,
                "title": entry.title or page.title,
                "source": entry.source or page.source,
                "published_at": entry.published_at or page.published_at,
                "language": entry.language or page.language,
            }
        )


def _describe(exc: BaseException) -> str:
    if isinstance(exc, httpx.HTTPStatusError):
        return f"HTTP {exc.response.status_code} from {exc.request.url}"
    return f"{type(exc).__name__}: {exc}"[:500]
