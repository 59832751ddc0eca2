"""Name normalisation shared by the gazetteer, geocoding and anyone matching place names.

``normalize("Ségou-Ville")`` -> ``"segou ville"``: lowercase, accents stripped, punctuation
(hyphens, apostrophes, dots) turned into single spaces. ``compact`` also drops the spaces so
"Tin Zaouaten", "Ti-n-Zaouâtene" and "Tinzaouaten" meet on one key.
"""

from __future__ import annotations

import re
import sys
import unicodedata
from functools import lru_cache

_NON_WORD = re.compile(r"[^0-9a-z]+")
# Letters NFKD does not decompose into ASCII + combining mark.
_SPECIAL = str.maketrans({"ø": "o", "æ": "ae", "œ": "oe", "ß": "ss", "đ": "d", "ł": "l", "ı": "i"})

# Generic words GeoNames keeps in names ("Kati Cercle", "Cercle de Kangaba", "Mopti Region").
ADMIN_WORDS = ("region", "cercle", "province", "department", "departement", "prefecture", "district")
_ADMIN_AFFIX = re.compile(
    r"^(?:(?:region|cercle|province|departement|department|prefecture|district)(?: de| du| des| d| of)? )"
    r"|(?: (?:region|cercle|province|department|departement|prefecture|district))$"
)


@lru_cache(maxsize=65536)
def normalize(name: str) -> str:
    """Lowercase, strip accents, collapse punctuation and whitespace to single spaces."""
    if name.isascii():
        return _NON_WORD.sub(" ", name.lower()).strip()
    text = unicodedata.normalize("NFKD", name.lower().translate(_SPECIAL))
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return _NON_WORD.sub(" ", text).strip()


def compact(name: str) -> str:
    """The normalised name without spaces: a second key for spacing/hyphen variants."""
    return normalize(name).replace(" ", "")


def strip_admin_words(name: str) -> str:
    """'Kati Cercle' -> 'kati', 'Cercle de Kangaba' -> 'kangaba', 'Mopti Region' -> 'mopti' (normalised)."""
    key = normalize(name)
    stripped = _ADMIN_AFFIX.sub("", key).strip()
    return stripped or key


_NOT_A_NAME = re.compile("[0-9]|[^\x00-\u024f\u1e00-\u1eff\u2018\u2019]")


def is_latin(name: str) -> bool:
    """True for a name in Latin letters without digits ("Ségou"), False for "غاو" or "RN16"."""
    return _NOT_A_NAME.search(name) is None


def intern(value: str) -> str:
    return sys.intern(value)


_DISPLAY_AFFIX = re.compile(
    r"^(?:(?:r[ée]gion|cercle|province|d[ée]partement|department|pr[ée]fecture|district)"
    r"(?: de la| de| du| des| d['’]| of)?\s*)|(?:\s+(?:region|r[ée]gion|cercle|province|department|"
    r"d[ée]partement|prefecture|district))$",
    re.IGNORECASE,
)


def display_admin(name: str) -> str:
    """'Mopti Region' -> 'Mopti', "Cercle d’ Abeïbara" -> 'Abeïbara' (case and accents kept)."""
    stripped = _DISPLAY_AFFIX.sub("", name.strip()).strip()
    return stripped or name.strip()


# Second words that only tell two halves of one village apart ("Ogassagou-Dogon" / "Ogassagou-Peulh"):
# the head alone is how the news names the place.
_QUALIFIER_WORDS = (
    "dogon peul peulh peuhl foulbe fulani bambara bozo sonrai sonrhai songhai marka mossi tamacheq "
    "touareg bella maure arabe dioula minianka senoufo sarakole soninke malinke habe kado i ii iii 1 2 3 "
    "centre nord sud est ouest ville"
)
QUALIFIERS = frozenset(_QUALIFIER_WORDS.split())


def head_alias(key: str) -> str | None:
    """'ogassagou dogon' -> 'ogassagou' when the last word is a qualifier, else None."""
    head, _, last = key.rpartition(" ")
    return head if head and last in QUALIFIERS and len(head) >= 4 else None


_TAMASHEQ_PREFIXES = ("tin", "in", "n")
_TAMASHEQ_WORDS = ("ti n ", "i n ", "tin ", "in ", "n ")


def tamasheq_stem(key: str, *, spaced: bool = False) -> str | None:
    """'ti n zaouatene' / 'tinzaouaten' -> 'zaouatene' / 'zaouaten'; 'n tillit' -> 'tillit'.

    Tamasheq place names start with In / I-n- / Ti-n- / N' ("the one of"), spelt every way in the
    news. The stem is a last-resort key, only compared with other prefixed names. With ``spaced``
    (gazetteer side) the prefix must be a separate word, so "Niono" has no stem.
    """
    if spaced and not key.startswith(_TAMASHEQ_WORDS):
        return None
    flat = key.replace(" ", "")
    for prefix in _TAMASHEQ_PREFIXES:
        if flat.startswith(prefix) and len(flat) - len(prefix) >= 4:
            return flat[len(prefix) :]
    return None


# "gh" and the French "rh" both write the Tamasheq/Arabic ghain: "Takaghat" / "Takarat", "Rharous".
_PHONETIC_REPLACE = (
    ("tch", "ch"), ("sh", "ch"), ("dj", "j"), ("gn", "ny"), ("kh", "k"), ("gh", "r"), ("rh", "r"),
    ("ck", "k"), ("q", "k"),
    ("ph", "f"), ("ou", "u"), ("w", "u"), ("y", "i"),
)  # fmt: skip
_PHONETIC_RULES = (
    (re.compile(r"c(?=[aou])"), "k"),  # French c before a/o/u is a k: "Tancoulé" / "Tankoulé"
    (re.compile(r"gu(?=[eiy])"), "g"),  # French gu before e/i is a hard g: "Guéré" / "Géré"
    (re.compile(r"h(?![aeiou])"), ""),
    (re.compile(r"(.)\1+"), r"\1"),
    (re.compile(r"(?<=[^aeiou])e$"), ""),  # French final silent e: "Tamalate" / "Tamalat"
)
_VOWELS = re.compile(r"[aeiouh]")
_SILENT_H = re.compile(r"(?<=[bdfjklmnprtvz])h")  # not gh, sh, ch, ph: rules of their own


def phonetic(key: str) -> str:
    """A key under which French, English and local spellings of one name meet.

    'Dialloubé' / 'Dyaloube' -> 'dialube'; 'Gnimignama' / 'Nyiminyama' -> 'niminiama' (after the
    doubled-letter collapse); 'Diabaly' / 'Diabali' -> 'diabali'; 'Tamalate' / 'Tamalat' -> 'tamalat'.
    """
    # h after a consonant of the same word is silent ("Thiam" / "Tiam"); "Tin Hamma" keeps its h
    flat = _SILENT_H.sub("", key).replace(" ", "")
    for old, new in _PHONETIC_REPLACE:
        if old in flat:
            flat = flat.replace(old, new)
    for pattern, replacement in _PHONETIC_RULES:
        flat = pattern.sub(replacement, flat)
    return flat


def skeleton(phonetic_key: str) -> str:
    """The consonants of a phonetic key: 'ogosagu' / 'ogasagu' -> 'gsg', 'tankul' / 'tankuli' -> 'tnkl'.

    Vowel quality is what transcriptions of Sahel names disagree on most (o/a/ou, e/i); two
    spellings with the same consonants in the same order are variants, not different names.
    """
    return _VOWELS.sub("", phonetic_key)
