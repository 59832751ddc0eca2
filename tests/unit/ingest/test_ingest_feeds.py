"""RSS and Atom entries as RawArticles."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from sahelwatch.errors import BadInput
from services.ingest.feeds import parse_feed

RSS = b"""<?xml version="1.0"?>
<rss version="2.0"><channel><title>Sahel Monitor</title><language>en-us</language>
<item>
  <title>Four killed near Bandiagara</title>
  <link>https://example.org/news/bandiagara</link>
  <pubDate>Tue, 05 Mar 2024 10:00:00 GMT</pubDate>
  <description>&lt;p&gt;Gunmen killed &lt;b&gt;four&lt;/b&gt; villagers near Bandiagara.&lt;/p&gt;
    &lt;p&gt;Officials confirmed the toll.&lt;/p&gt;</description>
</item>
<item><title>Headline only</title><link>https://example.org/news/headline-only</link></item>
</channel></rss>"""

ATOM = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Veille Sahel</title>
<entry>
  <title>Attaque près de Ménaka</title>
  <link href="https://example.fr/menaka"/>
  <updated>2024-03-05T08:00:00+02:00</updated>
  <summary>Résumé court.</summary>
  <content type="html">&lt;p&gt;Des hommes armés ont tué sept civils près de Ménaka.&lt;/p&gt;</content>
</entry></feed>""".encode()


def test_rss() -> None:
    first, second = parse_feed(RSS)
    assert first.url == "https://example.org/news/bandiagara"
    assert first.title == "Four killed near Bandiagara"
    assert first.source == "Sahel Monitor"
    assert first.language == "en-us"
    assert first.published_at == datetime(2024, 3, 5, 10, 0, tzinfo=UTC)
    assert first.text == "Gunmen killed four villagers near Bandiagara.\nOfficials confirmed the toll."
    assert second.text is None and second.url == "https://example.org/news/headline-only"


def test_atom_prefers_full_content() -> None:
    (entry,) = parse_feed(ATOM)
    assert entry.url == "https://example.fr/menaka"
    assert entry.source == "Veille Sahel"
    assert entry.published_at == datetime(2024, 3, 5, 6, 0, tzinfo=UTC)
    assert entry.text == "Des hommes armés ont tué sept civils près de Ménaka."


@pytest.mark.parametrize("data", [b"not a feed at all", b"<html><body><p>A page</p></body></html>"])
def test_not_a_feed(data: bytes) -> None:
    with pytest.raises(BadInput, match="not an RSS or Atom") as err:
        parse_feed(data)
    assert err.value.status == 422
