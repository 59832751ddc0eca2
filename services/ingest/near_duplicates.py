"""Near-duplicate articles (syndicated or lightly edited copies) with MinHash LSH.

Texts are compared on word 5-shingles of their normalised form; two articles are near-duplicates
when the estimated Jaccard similarity of their shingle sets reaches ``threshold``. LSH only
proposes candidates: each is checked against the estimate before it counts.

Signatures are plain lists of ints, so the service can store them (MongoDB) and rebuild the index
at start with ``add_signature``. They depend on ``num_perm``, ``seed`` and the hash function:
change any of them and stored signatures must be recomputed (``add_signature`` refuses a
signature of the wrong length).
"""

from __future__ import annotations

import zlib
from collections.abc import Iterator, Sequence

import numpy as np
import numpy.typing as npt
from datasketch import MinHash, MinHashLSH

from .identity import normalised_for_hash

SHINGLE_WORDS = 5
DEFAULT_THRESHOLD = 0.75  # a copy with 5 words changed in 500 scores ~0.84; other reports ~0
DEFAULT_NUM_PERM = 128
SEED = 1
SCHEME = "affine32"  # datasketch 2 default; pinned because stored signatures depend on it


def _crc32(data: bytes) -> int:
    return zlib.crc32(data)


def shingles(text: str, size: int = SHINGLE_WORDS) -> set[bytes]:
    """Word ``size``-grams of the case/punctuation-insensitive text (the whole text if shorter)."""
    tokens = normalised_for_hash(text).split()
    if not tokens:
        return set()
    if len(tokens) <= size:
        return {" ".join(tokens).encode("utf-8")}
    return {" ".join(tokens[i : i + size]).encode("utf-8") for i in range(len(tokens) - size + 1)}


class NearDuplicateIndex:
    """In-memory MinHash LSH index of the articles seen; answers "which earlier article is this?"."""

    def __init__(self, *, threshold: float = DEFAULT_THRESHOLD, num_perm: int = DEFAULT_NUM_PERM) -> None:
        self.threshold = threshold
        self.num_perm = num_perm
        self._lsh = MinHashLSH(threshold=threshold, num_perm=num_perm)
        self._signatures: dict[str, MinHash] = {}
        self._duplicate_of: dict[str, str] = {}
        # permutations are computed once and shared: building them dominates small MinHash objects
        self._template = MinHash(num_perm=num_perm, seed=SEED, hashfunc=_crc32, scheme=SCHEME)
        self._order: dict[str, int] = {}

    def __len__(self) -> int:
        return len(self._signatures)

    def __contains__(self, article_id: object) -> bool:
        return article_id in self._signatures

    def _minhash(self, hashvalues: npt.NDArray[np.uint64] | None = None) -> MinHash:
        return MinHash(
            num_perm=self.num_perm,
            seed=SEED,
            hashfunc=_crc32,
            hashvalues=hashvalues,
            permutations=self._template.permutations,
            scheme=SCHEME,
        )

    def signature(self, text: str) -> list[int]:
        """The MinHash signature of a text, as ``num_perm`` ints (empty text: all max values)."""
        minhash = self._minhash()
        grams = shingles(text)
        if grams:
            minhash.update_batch(list(grams))
        return [int(v) for v in minhash.hashvalues]

    def query(self, signature: Sequence[int]) -> str | None:
        """The earliest indexed article the signature near-duplicates, or None.

        If that article is itself a copy of an earlier one, the earlier one is returned.
        """
        minhash = self._from_signature(signature)
        if minhash.is_empty():
            return None
        best: tuple[float, int, str] | None = None
        for key in self._lsh.query(minhash):
            score = minhash.jaccard(self._signatures[key])
            if score >= self.threshold and (best is None or (score, -self._order[key]) > (best[0], -best[1])):
                best = (score, self._order[key], key)
        if best is None:
            return None
        return self._duplicate_of.get(best[2], best[2])

    def add_signature(self, article_id: str, signature: Sequence[int], duplicate_of: str | None = None) -> None:
        """Index a (stored) signature; re-adding an id already indexed changes nothing."""
        if article_id in self._signatures:
            return
        minhash = self._from_signature(signature)
        if duplicate_of is not None and duplicate_of != article_id:
            self._duplicate_of[article_id] = self._duplicate_of.get(duplicate_of, duplicate_of)
        self._signatures[article_id] = minhash
        self._order[article_id] = len(self._order)
        if not minhash.is_empty():
            self._lsh.insert(article_id, minhash)

    def add(self, article_id: str, text: str) -> str | None:
        """Index an article; returns the earlier article_id it near-duplicates, or None.

        Idempotent: adding the same id again returns the first answer and indexes nothing.
        """
        if article_id in self._signatures:
            return self._duplicate_of.get(article_id)
        signature = self.signature(text)
        original = self.query(signature)
        self.add_signature(article_id, signature, original)
        return original

    def export(self) -> Iterator[tuple[str, list[int], str | None]]:
        """``(article_id, signature, duplicate_of)`` for every indexed article, in insertion order."""
        for key, minhash in self._signatures.items():
            yield key, [int(v) for v in minhash.hashvalues], self._duplicate_of.get(key)

    def _from_signature(self, signature: Sequence[int]) -> MinHash:
        if len(signature) != self.num_perm:
            raise ValueError(f"signature has {len(signature)} values, the index uses num_perm={self.num_perm}")
        return self._minhash(np.asarray(signature, dtype=np.uint64))
