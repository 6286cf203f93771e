"""Language detection, theme tagging and sentiment on the labelled comments (tests/fixtures/labelled): accuracy
per language, recall and precision per theme and language, and the time each step takes per comment.

The labels are written by people, never derived from the taxonomy or the lexicons. Usage:
``python bench/language_bench.py [REPEAT]`` (REPEAT times the comments for the timings; default 50).
"""
from __future__ import annotations

import csv
import sys
import time
from collections import Counter
from pathlib import Path

from meeting.evidence.language import detect_languages
from meeting.evidence.sentiment import NEGATIVE_BELOW, sentiment_scores
from meeting.evidence.tagging import ThemeMatcher
from meeting.evidence.taxonomy import load_themes

LABELLED = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "labelled" / "comments.csv"
# Neither held-out file chose a cue: holdout.csv was written after the first cues, holdout2.csv after the last
# change (a broadening of the theme cues tried after reading holdout.csv was dropped: it lost precision on
# comments.csv and did not help holdout2). Their figures are the honest ones; comments.csv's are fitted.
HOLDOUT = LABELLED.with_name("holdout.csv")
HOLDOUT2 = LABELLED.with_name("holdout2.csv")


def load_labelled(path: Path = LABELLED) -> list[dict]:
    with open(path, newline="", encoding="utf-8") as handle:
        return [{**row, "themes": {t for t in row["themes"].split(";") if t}} for row in csv.DictReader(handle)]


def polarity(score: float | None) -> str | None:
    if score is None:
        return None
    return "neg" if score < NEGATIVE_BELOW else ("pos" if score > -NEGATIVE_BELOW else "neu")


def theme_counts(rows: list[dict], found: list[set[str]]):
    """(language, theme) -> [true positives, labelled, tagged]."""
    counts: dict[tuple[str, str], list[int]] = {}
    for row, tagged in zip(rows, found):
        for theme in row["themes"] | tagged:
            entry = counts.setdefault((row["language"], theme), [0, 0, 0])
            entry[0] += theme in row["themes"] and theme in tagged
            entry[1] += theme in row["themes"]
            entry[2] += theme in tagged
    return counts


def main(repeat: int = 50, path: Path = LABELLED) -> None:
    rows = load_labelled(path)
    themes = load_themes()
    matcher = ThemeMatcher(themes)
    names = [t.name for t in themes]
    by_language: dict[str, list[dict]] = {}
    for row in rows:
        by_language.setdefault(row["language"], []).append(row)

    print(f"{len(rows)} labelled comments: {dict(Counter(r['language'] for r in rows))}")
    detected = {}
    for language, group in by_language.items():
        unit = ("en",) if language == "en" else ("en", language)
        # English comments are read as a bilingual unit would read them: with French, the hardest pair.
        unit = ("en", "fr") if language == "en" else unit
        detected[language] = detect_languages([r["text"] for r in group], unit)
        right = sum(d == r["language"] for d, r in zip(detected[language], group))
        print(f"language {language}: {right}/{len(group)} detected among {'+'.join(unit)}")

    found = []
    for row in rows:
        mask = matcher.mask(row["text"], row["language"])
        found.append({names[i] for i in range(len(names)) if mask >> i & 1})
    counts = theme_counts(rows, found)
    print("\ntheme recall / precision per language (labelled n)")
    for language in by_language:
        parts = []
        for name in names:
            tp, labelled, tagged = counts.get((language, name), [0, 0, 0])
            if labelled or tagged:
                parts.append(f"{name[:18]} {tp}/{labelled} {tp}/{tagged}")
        total = [sum(counts.get((language, n), [0, 0, 0])[k] for n in names) for k in range(3)]
        print(f"{language}: recall {total[0]}/{total[1]} = {total[0] / max(total[1], 1):.0%}, "
              f"precision {total[0]}/{total[2]} = {total[0] / max(total[2], 1):.0%}")
        print("    " + "; ".join(parts))

    print("\nsentiment agreement with the labels per language (None = not scored)")
    for language, group in by_language.items():
        read = [polarity(s) for s in sentiment_scores([r["text"] for r in group], [language] * len(group))]
        scored = [(p, r["polarity"]) for p, r in zip(read, group) if p is not None]
        agree = sum(p == label for p, label in scored)
        print(f"{language}: {agree}/{len(scored)} agree" + (f", {len(group) - len(scored)} not scored" if len(scored) < len(group) else ""))

    texts = [r["text"] for r in rows] * repeat
    languages = [r["language"] for r in rows] * repeat
    started = time.perf_counter()
    detect_languages(texts, ("en", "fr", "de"))
    detect_time = time.perf_counter() - started
    fresh = ThemeMatcher(themes)
    for language in by_language:  # built on first use per language (~10 ms each): not what is timed
        fresh.mask("warm", language)
    started = time.perf_counter()
    for text, language in zip(texts, languages):
        fresh.mask(text, language)
    tag_time = time.perf_counter() - started
    print(f"\ntimings over {len(texts):,} comments: detection (3 languages) {detect_time / len(texts) * 1e6:.0f} us, "
          f"tagging {tag_time / len(texts) * 1e6:.1f} us per comment (first use of each language excluded)")


if __name__ == "__main__":
    for labelled in (LABELLED, HOLDOUT, HOLDOUT2):
        print(f"\n=== {labelled.name} ===")
        main(int(sys.argv[1]) if len(sys.argv) > 1 else 50, labelled)
