"""Cues as stems, matched in a text: folding (case, accents), each language's Snowball stemmer, phrases
matched word after word ("a ... b" parts a few words apart) and, in German and Dutch, compound parts found by
one Aho-Corasick pass. Shared by theme tagging (``meeting.evidence.tagging``) and the cue reading of
sentiment (``meeting.evidence.sentiment``).
"""
from __future__ import annotations

import re
import unicodedata

from meeting.evidence.taxonomy import Theme

# Snowball's name for each language the taxonomy has cues in.
STEMMER_NAMES = {"en": "english", "fr": "french", "de": "german", "es": "spanish", "nl": "dutch"}
# Languages that write compounds as one word ("Wartezeit", "wachttijd"): a cue also matches as a word's first
# or last part, the last part perhaps inflected ("Verbindungsabbrüche" carries "abbruch").
COMPOUNDING = {"de", "nl"}
COMPOUND_PART_MIN = 4
INFLECTIONS = ("", "e", "n", "en", "s", "es", "er", "ern", "em")
GAP_WORDS = 6
TOKEN = re.compile(r"[a-z0-9_]+")  # words as regex \w reads them (after folding)
_LIGATURES = str.maketrans({"œ": "oe", "æ": "ae", "ø": "o", "ł": "l", "đ": "d"})


def fold(text: str) -> str:
    """Casefolded and without accents ("Très" -> "tres", "Straße" -> "strasse"): customers type both, and
    a cue need not list each spelling."""
    text = text.casefold()
    if text.isascii():
        return text
    text = unicodedata.normalize("NFKD", text.translate(_LIGATURES))
    return text.encode("ascii", "ignore").decode("ascii")


def _is_word(char: str) -> bool:
    # What re's \w matches in a str pattern: letters and digits, and the underscore.
    return char.isalnum() or char == "_"


class CueLanguage:
    """One language's cues: phrases of stems, indexed by their first stem, and word parts (``*`` cues, and in
    compounding languages every single-word cue) found by one Aho-Corasick pass."""

    def __init__(self, language: str, themes: tuple[Theme, ...]):
        import ahocorasick
        import snowballstemmer

        self._stemmer = snowballstemmer.stemmer(STEMMER_NAMES.get(language, "english"))
        self._stems: dict[str, str] = {}
        self.phrases: dict[str, list[tuple[tuple[tuple[str, ...], ...], int]]] = {}
        parts: dict[tuple[str, str], int] = {}   # (folded part, "start" | "end") -> mask
        for index, theme in enumerate(themes):
            bit = 1 << index
            for cue in theme.cues_for(language):
                folded = fold(cue).strip()
                if folded.endswith("*") or folded.startswith("*"):
                    word = folded.strip("*")
                    if TOKEN.fullmatch(word):
                        where = "start" if folded.endswith("*") else "end"
                        parts[word, where] = parts.get((word, where), 0) | bit
                    continue
                segments = phrase_segments(folded, self.stem)
                if not segments:
                    continue
                self.phrases.setdefault(segments[0][0], []).append((segments, bit))
                stems = segments[0]
                if language in COMPOUNDING and len(segments) == 1 and len(stems) == 1 and len(folded) >= COMPOUND_PART_MIN:
                    for where in ("start", "end"):
                        parts[folded, where] = parts.get((folded, where), 0) | bit
        self._automaton = None
        if parts:
            self._automaton = ahocorasick.Automaton()
            by_word: dict[str, list[tuple[str, int]]] = {}
            for (word, where), mask in parts.items():
                by_word.setdefault(word, []).append((where, mask))
            for word, places in by_word.items():
                self._automaton.add_word(word, (len(word), tuple(places)))
            self._automaton.make_automaton()

    def stem(self, token: str) -> str:
        # Remembered per word: customers' vocabulary repeats, and snowball is ~5 us a word in pure Python.
        stem = self._stems.get(token)
        if stem is None:
            stem = self._stems[token] = self._stemmer.stemWord(token) if len(token) > 2 else token
        return stem

    @staticmethod
    def _head_of_compound(folded: str, start: int) -> bool:
        """A last part needs a first part of ``COMPOUND_PART_MIN`` letters or more before it (a "*" cue at a word's
        end aside): "Telefonwarteschleife" ends with "warteschleife", but "erwartet" is not "er" + "wartet"."""
        first = start
        while first > 0 and _is_word(folded[first - 1]):
            first -= 1
        return start == first or start - first >= COMPOUND_PART_MIN

    def mask(self, folded: str) -> int:
        found = 0
        if self.phrases:
            stems = [self.stem(token) for token in TOKEN.findall(folded)]
            for i, stem in enumerate(stems):
                for segments, bit in self.phrases.get(stem, ()):
                    if not found & bit and matches_at(stems, i, segments):
                        found |= bit
        if self._automaton is not None:
            size = len(folded)
            for end, (length, places) in self._automaton.iter(folded):
                start = end - length + 1
                at_start = start == 0 or not _is_word(folded[start - 1])
                tail_end = end + 1
                while tail_end < size and _is_word(folded[tail_end]):
                    tail_end += 1
                for where, bit in places:
                    if where == "start" and at_start:
                        found |= bit
                    elif where == "end" and folded[end + 1:tail_end] in INFLECTIONS and self._head_of_compound(folded, start):
                        found |= bit
        return found


def phrase_segments(folded_cue: str, stem) -> tuple[tuple[str, ...], ...]:
    """A cue as stems: "valt ... weg" is its parts in order, each within ``GAP_WORDS`` words of the one before
    (a separable verb, "nobody ... came"); () when a part has no word."""
    segments = tuple(tuple(stem(token) for token in TOKEN.findall(part)) for part in folded_cue.split("..."))
    return segments if segments and all(segments) else ()


def matches_at(stems: list[str], start: int, segments: tuple[tuple[str, ...], ...]) -> bool:
    """Whether the first segment starts at ``start`` and each later one follows within ``GAP_WORDS`` words."""
    first = segments[0]
    if len(first) > 1 and tuple(stems[start:start + len(first)]) != first:
        return False
    position = start + len(first)
    for segment in segments[1:]:
        for offset in range(position, min(position + GAP_WORDS, len(stems) - len(segment) + 1)):
            if tuple(stems[offset:offset + len(segment)]) == segment:
                position = offset + len(segment)
                break
        else:
            return False
    return True
