"""Text similarity for content drift: word 3-shingles, Jaccard."""

from __future__ import annotations

import random
import time

from linkcheck.archive.similarity import text_similarity


def words(n: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    vocabulary = [f"w{i}" for i in range(5000)]
    return [rng.choice(vocabulary) for _ in range(n)]


def test_same_text_is_one_and_case_or_spacing_do_not_matter() -> None:
    assert text_similarity("The drills were routine.", "the  drills\nwere ROUTINE.") == 1.0
    assert text_similarity("", "") == 1.0


def test_unrelated_text_is_near_zero_and_empty_against_text_is_zero() -> None:
    assert text_similarity(" ".join(words(2000, 1)), " ".join(words(2000, 2))) < 0.05
    assert text_similarity("", "some text here now") == 0.0


def test_small_edits_stay_above_the_default_threshold() -> None:
    text = words(5000, 3)
    edited = list(text)
    for position in random.Random(4).sample(range(len(text)), 50):  # 1% of the words
        edited[position] = "changed"
    appended = text + words(500, 5)
    assert text_similarity(" ".join(text), " ".join(edited)) > 0.9
    assert text_similarity(" ".join(text), " ".join(appended)) > 0.85
    assert text_similarity(" ".join(text), " ".join(text[: len(text) // 2])) < 0.8


def test_fast_on_100_kb_texts() -> None:
    a, b = " ".join(words(20000, 6)), " ".join(words(20000, 7))
    assert len(a) > 100_000
    started = time.perf_counter()
    text_similarity(a, b)
    assert time.perf_counter() - started < 1.0
