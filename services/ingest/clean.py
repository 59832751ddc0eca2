"""Text normalisation and page-chrome stripping, by general rules (no per-site code).

A document is read as lines (paragraphs). Lines with at least six words ending in sentence
punctuation are *body sentences*; everything before the first one is the *head* (navigation,
kickers, bylines, the headline), everything after the last one the *tail* (subscription walls,
"Related Stories", tags). The head keeps only headline-like lines; the tail drops lines of under
six words; a terminal marker ("Related Stories", "Sign up to read this article", "TAGGED:")
cuts the text when little body follows it. Anywhere, lines on the chrome stoplist and repeated
lines go. Lines between the first and last body sentence are kept unless on the stoplist, so
section headlines inside the article stay. Real sentences are never dropped outside the tail cut.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence

_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"), None)
_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]+")
_WORD = re.compile(r"\w+(?:[’'.\-]\w+)*")
_SENTENCE_END = re.compile(r"[.!?…][\"'”’»)\]]*$")
_NORM = re.compile(r"[^\w]+")

# whole line, after lowercasing and dropping punctuation
CHROME_LINES = frozenset(
    {
        "share", "print", "email", "e mail", "comments", "comment", "advertisement", "advertising",
        "sponsored", "menu", "search", "home", "world", "africa", "news", "tweet", "whatsapp",
        "facebook", "twitter", "linkedin", "telegram", "copy link", "our picks", "top stories",
        "most read", "most popular", "related", "more", "continue reading", "start reading",
        "breaking news", "accessibility links", "skip to content", "skip to main content",
        "subscribe", "sign in", "sign up", "log in", "log out", "register", "close", "back to top",
        "publicité", "partager", "accueil", "recherche", "fermer", "à la une", "en direct",
        "imprimer", "s abonner", "abonnez vous", "se connecter", "connexion", "newsletter",
        "listen to this article", "écouter cet article", "view comments", "show comments",
    }
)  # fmt: skip

# anywhere in a short line (at most _SHORT_WORDS words), on word boundaries
CHROME_PHRASES = (
    "sign in", "sign up", "log in", "subscribe now", "subscribe to", "subscription", "already a member",
    "already have an account", "download the app", "get the app", "min read", "minute read",
    "share this article", "share this story", "share on", "leave a comment", "leave a reply",
    "related stories", "related articles", "related content", "read more", "read next",
    "you may also like", "recommended for you", "more from", "all rights reserved",
    "skip to", "we use cookies", "use of cookies", "accept cookies", "cookie policy",
    "cookie settings", "accept all", "privacy policy", "terms of use", "free trial", "days free",
    "newsletter", "follow us", "click here", "get all your news in one place", "premium titles",
    "abonnez vous", "s abonner", "se connecter", "lire aussi", "lire la suite", "à lire aussi",
    "temps de lecture", "partager cet article", "laisser un commentaire", "articles similaires",
    "sur le même sujet", "accepter les cookies", "nous utilisons des cookies", "tous droits réservés",
    "politique de confidentialité", "suivez nous", "télécharger l application", "essai gratuit",
)  # fmt: skip
_PHRASE_RE = re.compile(r"\b(?:" + "|".join(re.escape(p) for p in CHROME_PHRASES) + r")\b")
_LINE_PATTERNS = re.compile(
    r"^(?:\d+\s*(?:min|mins|minutes?)\s*(?:read|de lecture)"
    r"|(?:tagged|tags|mots[\s-]clés|topics)\s*:.*"
    r"|(?:read more|see also|lire aussi|à lire aussi|voir aussi)\s*[:|»>-].*"
    r"|©.*|copyright\s*(?:©|\(c\)|\d{4}).*"
    r"|\(?(?:reporting|writing|editing|additional reporting|compiled|translated)\s+by\b.*"
    r")$",
    re.IGNORECASE,
)
_MENU_SEPARATORS = re.compile(r"\s[|•·›»/]\s")
_BYLINE = re.compile(r"^(?:by|par|written by|posted by|photo:|credit:)\s+\S", re.IGNORECASE)

# markers after which, when little body follows, the rest of the page is chrome
TERMINAL = re.compile(
    r"^(?:tagged|tags|mots[\s-]clés)\s*:|"
    r"\b(?:sign up to read|subscribe to read|related stories|related articles|you may also like|"
    r"leave a comment|leave a reply|share this article|more from|most read|top stories|read next|"
    r"articles similaires|sur le même sujet|laisser un commentaire|partager cet article)\b",
    re.IGNORECASE,
)

_SHORT_WORDS = 12
_BODY_MIN_WORDS = 6
_LONG_WORDS = 16  # a photo caption ending in a credit is body too
_HEADLINE_MIN_WORDS = 3
_TAIL_MAX_SENTENCES = 2
_TAIL_MAX_SHARE = 0.2


def normalise_unicode(text: str) -> str:
    """NFC, no invisible characters, one space between words, trimmed lines, ``\\n`` newlines."""
    text = unicodedata.normalize("NFC", text).translate(_INVISIBLE)
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u2028", "\n").replace("\u2029", "\n")
    return "\n".join(_SPACES.sub(" ", line).strip() for line in text.split("\n"))


def words(line: str) -> list[str]:
    return _WORD.findall(line)


def line_key(line: str) -> str:
    """Lowercase, punctuation-free form of a line, for stoplist and repeat checks."""
    return _NORM.sub(" ", line.lower().replace("’", " ").replace("'", " ")).strip()


def is_sentence(line: str) -> bool:
    """A body sentence: six words or more ending in sentence punctuation, or any long line."""
    n = len(words(line))
    return n >= _LONG_WORDS or (n >= _BODY_MIN_WORDS and bool(_SENTENCE_END.search(line)))


def is_chrome(line: str) -> bool:
    """On the stoplist: navigation, subscription, share and cookie widgets, tags, read-times."""
    key = line_key(line)
    if not key:
        return not any(ch.isalnum() for ch in line)  # "|", "•••"
    if key in CHROME_LINES or _LINE_PATTERNS.match(line):
        return True
    if len(_MENU_SEPARATORS.findall(line)) >= 2 and not _SENTENCE_END.search(line):
        return True  # "Home | World | Africa", "News • Sport • Culture"
    return len(words(line)) <= _SHORT_WORDS and bool(_PHRASE_RE.search(key.replace("’", " ")))


def is_byline(line: str) -> bool:
    return len(words(line)) <= 6 and not _SENTENCE_END.search(line) and bool(_BYLINE.match(line))


def looks_like_headline(line: str) -> bool:
    """Short, no closing full stop, not chrome: a title, kicker or section heading."""
    n = len(words(line))
    return (
        _HEADLINE_MIN_WORDS <= n <= 30
        and not line.rstrip().endswith(".")
        and not is_chrome(line)
        and not is_byline(line)
    )


def unwrap(lines: Sequence[str]) -> list[str]:
    """Join hard-wrapped lines: a long line not ending a sentence, followed by a lowercase start."""
    out: list[str] = []
    for line in lines:
        if (
            out
            and line
            and out[-1]
            and len(out[-1]) >= 40
            and not re.search(r"[.!?:;…\"”»)\]]$", out[-1])
            and line[0].islower()
        ):
            out[-1] = f"{out[-1]} {line}"
        else:
            out.append(line)
    return out


def _tail_cut(lines: list[str]) -> list[str]:
    """Cut at the first terminal marker after which little body (sentences) remains."""
    body_chars = [len(line) if is_sentence(line) and not is_chrome(line) else 0 for line in lines]
    total = sum(body_chars)
    for index, line in enumerate(lines):
        if len(words(line)) > _SHORT_WORDS or not TERMINAL.search(line):
            continue
        after = body_chars[index + 1 :]
        sentences_after = sum(1 for c in after if c)
        if sentences_after <= _TAIL_MAX_SENTENCES and sum(after) <= _TAIL_MAX_SHARE * total:
            return lines[:index]
    return lines


def strip_chrome(lines: Sequence[str]) -> list[str]:
    """The article's lines without page chrome (see the module docstring)."""
    lines = _tail_cut([line for line in lines if line])
    body = [i for i, line in enumerate(lines) if is_sentence(line) and not is_chrome(line)]
    if not body:  # a note or a headline only: keep all but the obvious chrome
        first, last = 0, len(lines) - 1
    else:
        first, last = body[0], body[-1]
    head_counts: dict[str, int] = {}
    for line in lines[:first]:
        head_counts[line_key(line)] = head_counts.get(line_key(line), 0) + 1
    seen: set[str] = set()
    kept: list[str] = []
    for index, line in enumerate(lines):
        key = line_key(line) or line
        if key in seen or is_chrome(line):
            continue
        seen.add(key)
        if index < first:
            # head: headline-like lines only, not the outlet name repeated by the page
            if not looks_like_headline(line) or head_counts.get(line_key(line), 0) > 1:
                continue
        elif index > last and len(words(line)) < _BODY_MIN_WORDS:
            continue  # tail: author names, "Our Picks", ...
        kept.append(line)
    return kept


def clean_text(text: str) -> str:
    """Normalised article text without page chrome: one paragraph per line, blank-line separated."""
    lines = unwrap(normalise_unicode(text).split("\n"))
    return "\n\n".join(strip_chrome(lines))
