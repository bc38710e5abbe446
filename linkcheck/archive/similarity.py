"""How alike two extracted texts are: Jaccard similarity of word 3-shingles.

Chosen over difflib (measured on 100 KB texts, see docs/archive.md): SequenceMatcher.ratio() takes
~140 ms a pair and calls shuffled paragraphs a different page; quick_ratio() is order-blind and
rates two unrelated pages sharing common words at ~0.7. Shingles take ~35 ms, score an unrelated
page ~0, and keep small local edits high (1% of words changed: 0.94; a paragraph appended: 0.91).
"""

from __future__ import annotations

SHINGLE_WORDS = 3
# Words compared at most, from the start of each text: the cost stays bounded (readable copies keep
# 200,000 characters, ~35,000 words, so this only guards callers that pass more).
MAX_WORDS = 100_000


def shingles(text: str, size: int = SHINGLE_WORDS) -> set[int]:
    """Hashes of every run of `size` consecutive words (case-folded) among the first MAX_WORDS."""
    words = text[: MAX_WORDS * 20].casefold().split()[:MAX_WORDS]  # 20 characters a word is ample
    if len(words) <= size:
        return {hash(tuple(words))} if words else set()
    return {hash(run) for run in zip(*(words[i:] for i in range(size)), strict=False)}


def text_similarity(old: str, new: str) -> float:
    """1.0 for the same words in the same order, towards 0.0 as they share fewer word runs."""
    a, b = shingles(old), shingles(new)
    if not a and not b:
        return 1.0
    return len(a & b) / len(a | b)
