"""How roster matches are checked against their context and shaped into whole, readable spans.

A span here is a list ``[start, end, identity, kind, suffix]``; ``suffix`` is added after the label (a
possessive apostrophe swallowed with the name: "Jess’ crew" -> "[a participant]’s crew").
"""
from __future__ import annotations

import re
from functools import lru_cache

import ahocorasick
from anyascii import anyascii

from meeting.anonymise.context import (
    _ACTION_BEFORE,
    _ARTICLE_BEFORE,
    _AUXILIARIES,
    _BEYOND_LATIN,
    _CAP_LATIN,
    _CJK,
    _COMMA_INITIALS,
    _CUE_WORDS,
    _DETERMINER_BEFORE,
    _HANDLE,
    _HANGUL,
    _HYPHEN_WORD,
    _HYPHENED_INITIAL_AFTER,
    _HYPHENED_INITIALS,
    _HYPHENS,
    _HYPHENS_OR_LINE_END,
    _INDEFINITE_BEFORE,
    _INITIAL,
    _INITIAL_DOT,
    _NOT_INFINITIVE,
    _OTHER_SCRIPT,
    _SAME_PERSON_GAP,
    _THING_BEFORE,
    _TLD,
    _WORD_LEFT,
    _WORD_RIGHT,
    _WORDS_AFTER,
    SPEECH_VERBS,
    VERB_OBJECTS,
    _honorific_before,
    _line_start,
    _sentence_start,
    _word_after,
    _word_before,
    case_ok,  # noqa: F401  (the redactor checks a match as matching.case_ok)
)
from meeting.anonymise.folding import UP, canonical, korean_key, sound_key, strip_accents
from meeting.anonymise.patterns import HONORIFICS
from meeting.anonymise.wordlists import NOT_NAME, first_names, is_common_word, is_foreign_everyday, is_given_name, zipf, zipf_in

canonical_key = canonical

def keep_with_evidence(text: str, found: list[list], months: frozenset) -> list[list]:
    """Drop matches of ordinary words that nothing marks as a person; widen to honorifics and determiners."""
    neighbours = None  # identity -> its spans, built when a rule first asks for them
    out = []
    for start, end, identity, kind, needs_evidence in found:
        # The honorific, determiner and article patterns all end in spaces just before the word: with no
        # space there (most matches start a sentence or follow punctuation) none of them is searched.
        spaced = start > 0 and text[start - 1].isspace()
        if kind == "person" or kind == "org":
            word = text[start:end]
            if needs_evidence and kind == "person":
                neighbours = neighbours or _by_identity(found)
                if not _has_evidence(text, start, end, word, _word_after(text, end), neighbours.get(identity, []),
                                     months):
                    continue
            if spaced and _german_common_noun(text, start, end, word, identity, found):
                continue  # "der Zimmermann", "die Sonne": the noun, not the person or the organisation
            if kind == "person" and identity[0] == "person" and spaced:
                before = _honorific_before(text, start)
                if before:
                    start = before.start()
        elif kind == "role" and spaced:
            if _INDEFINITE_BEFORE.search(text, max(0, start - 9), start):
                continue
            before = _DETERMINER_BEFORE.search(text, max(0, start - 7), start)
            if before:
                start = before.start()
        out.append([start, end, identity, kind, ""])
    return out


# German articles: German capitalises every noun, so "der Zimmermann kommt Montag" is the carpenter.
GERMAN_ARTICLE_BEFORE = re.compile(
    r"(?<![^\W\d_])(?:[Dd](?:er|ie|as|en|em|es)|[Ee]in(?:e|en|em|es|er)?|[Kk]ein(?:e|en|em|es|er)?)[^\S\r\n]+$")


def _by_identity(found: list[list]) -> dict:
    neighbours: dict = {}
    for span in found:
        neighbours.setdefault(span[2], []).append(span)
    return neighbours


def _german_common_noun(text: str, start: int, end: int, word: str, identity, found: list[list]) -> bool:
    """A single roster word that is an everyday German noun, right after a German article, with no other
    part of the person's name beside it: the noun, not the person ("der Zimmermann", "ein Schneider").
    ``found``: all the roster matches, among them the others of the same ``identity``."""
    if " " in word or not word[:1].isupper() or word.isupper():
        return False
    # The word's German frequency first: remembered per word, where the article is a search each time.
    if zipf_in(word, "de") < 3.5 or not GERMAN_ARTICLE_BEFORE.search(text, max(0, start - 8), start):
        return False
    same = [span for span in found if span[2] == identity]
    return not any(other[0] != start and (0 <= other[0] - end <= 3 or 0 <= start - other[1] <= 3) for other in same)


_CAPITALISED_BEFORE = re.compile(rf"({UP}[^\W\d_]+)(['’]s)?[^\S\r\n]+$")


def _inside_a_proper_name(text: str, start: int) -> bool:
    """Is the word at ``start`` the last of a capitalised run that names a thing: a capitalised everyday
    word before it ("Christmas", "Year's"), which is neither a cue ("Thanks") nor part of a person's name?"""
    match = _CAPITALISED_BEFORE.search(text, max(0, start - 24), start)
    if not match:
        return False
    previous = match.group(1)
    if previous.lower() in _CUE_WORDS or previous.lower() in HONORIFIC_WORDS or not is_common_word(previous):
        return False
    unambiguous, _ = first_names()
    return strip_accents(previous) not in unambiguous and (match.group(2) is not None or not _sentence_start(text, match.start()))


def _acts(text: str, end: int, after: str, before: str, month: bool) -> bool:
    """Does the word ending at ``end`` act like a person: the owner of an action ("Grace to send the split"),
    someone from an organisation ("Faith from the customer said"), the subject of a modal ("Hope will call")?"""
    pair = _WORDS_AFTER.match(text, end)
    if before in _ARTICLE_BEFORE or (month and before in _THING_BEFORE):
        return False  # "the Hope to ...", "from April to May to ..."
    lowered = after.lower()
    if pair is None:
        return False
    following = pair.group(2)
    if lowered == "to":
        return following.islower() and following.isalpha() and following not in _NOT_INFINITIVE
    if lowered == "from":  # "from Kestrel", "from the customer"; a month only before a capitalised name
        return following[:1].isupper() or (not month and following.lower() in _ARTICLE_BEFORE)
    return not month and lowered in _AUXILIARIES and not following[:1].isdigit()


def _has_evidence(text, start, end, word, after, same, months) -> bool:
    """Is this capitalised ordinary word ("Grace", "Mark", "May") a person here?"""
    if after.lower() in VERB_OBJECTS:
        return False  # "Will you ...", "Mark the date"
    if _inside_a_proper_name(text, start):
        return False  # "New Year's Eve", "Christmas Eve", "Amazing Grace": the end of a thing's name
    if after and _acts(text, end, after, _word_before(text, start), word.lower() in months):
        return True
    if text[end:end + 1] == ":" and word.lower() not in months and _line_start(text, start):
        return True  # "Grace: we agreed": a speaker tag
    for other in same:  # "Grace Obi": the surname beside it
        if other[0] != start and (0 <= other[0] - end <= 3 or 0 <= start - other[1] <= 3):
            if not text[min(end, other[1]):max(start, other[0])].strip(" -"):
                return True
    if _honorific_before(text, start):
        return True
    before = _word_before(text, start)
    if after.lower() in SPEECH_VERBS or before in _CUE_WORDS - {"and", "with", "by"} and word.lower() not in months:
        return True
    if after.lower() == "to" and _ACTION_BEFORE.search(text[max(0, start - 12):start]):
        return True  # "Action: Grace to review ...": the owner of an action
    if word.lower() in months:
        return False
    if text[end:end + 2] in ("'s", "’s"):  # "Marsh's team": a possessive says someone
        return True
    if before in _CUE_WORDS:
        return True
    return not _sentence_start(text, start) and before not in _THING_BEFORE and not after[:1].isupper()


def stem_finder(stems: dict) -> ahocorasick.Automaton | None:
    """What ``stem_matches`` looks for: every stem, found in one pass over the folded text."""
    if not stems:
        return None
    automaton = ahocorasick.Automaton()
    for stem in stems:
        automaton.add_word(stem, stem)
    automaton.make_automaton()
    return automaton


def _stem_hits(folded: str, finder: ahocorasick.Automaton) -> list[tuple[int, int, str]]:
    """(start, end, stem) of each stem that starts a word and runs on into more letters or digits ("northwind"
    in "northwindlink"), left to right and not overlapping; at one place the longest stem that does."""
    at: dict[int, list[str]] = {}
    for last, stem in finder.iter(folded):
        at.setdefault(last - len(stem) + 1, []).append(stem)
    out: list[tuple[int, int, str]] = []
    taken_to = 0
    for start in sorted(at):
        # A letter or digit is what re's [^\W_] matches, and str.isalnum() says.
        if start < taken_to or (start and folded[start - 1].isalnum()):
            continue
        for stem in sorted(at[start], key=len, reverse=True):
            end = start + len(stem)
            if end < len(folded) and folded[end].isalnum():
                out.append((start, end, stem))
                taken_to = end
                break
    return out


def stem_matches(text: str, folded: str, finder: ahocorasick.Automaton | None, stems: dict) -> list[list]:
    """Product and file names built on an organisation's distinctive word: "NorthwindLink", "Northwind365".
    ``finder``: ``stem_finder(stems)``."""
    if finder is None:
        return []
    out = []
    for start, end, stem in _stem_hits(folded, finder):
        # "NorthwindLink", "Northwind365"; "northwindlink" too when the stem is long enough to be telling.
        if end < len(text) and (text[end].isupper() or text[end].isdigit() or end - start >= 5):
            while end < len(text) and text[end].isalnum():
                end += 1
            identity = stems.get(stem)
            if identity:
                out.append([start, end, identity, "org", ""])
    return out


def handle_matches(text: str, handles: dict, surnames: dict, full_names: dict) -> list[list]:
    """@handles and profile slugs made from a roster name: @lizcarroway, linkedin.com/in/e-carroway-42."""
    if "@" not in text:
        if "linkedin" not in text.lower():
            return []
        matches = _HANDLE.finditer(text)
    elif text.isascii() and "linkedin" not in text.lower():
        # In ASCII text without "linkedin" (in any case) only the "@" form can match, so the pattern is
        # tried at each "@" rather than at every character.
        matches = _at_handles(text)
    else:
        matches = _HANDLE.finditer(text)
    out = []
    for match in matches:
        slug = match.group(1) or match.group(2)
        letters = re.sub(r"[^a-z]", "", strip_accents(slug).lower())
        identity = handles.get(letters) or full_names.get(letters) or \
            next((who for surname, who in surnames.items() if surname in letters), None)
        if identity is None:
            continue
        start = match.start() if match.group(1) else match.start()
        head = text.rfind("http", max(0, start - 12), start)
        start = head if head >= 0 else start
        out.append([start, match.end(), identity, "person", ""])
    return out


def _at_handles(text: str):
    """What ``_HANDLE.finditer(text)`` gives when only its "@" form can match."""
    at = text.find("@")
    while at >= 0:
        match = _HANDLE.match(text, at)
        if match:
            yield match
            at = text.find("@", match.end())
        else:
            at = text.find("@", at + 1)


def _sound_identity(word: str, sounds: dict):
    """The one roster identity a capitalised Latin word sounds like, or None."""
    if len(word) < 4 or is_common_word(word) or word.lower() in NOT_NAME:
        return None
    who = sounds.get(sound_key(word))
    return next(iter(who)) if who and len(who) == 1 else None


_UNSEEN = object()


def sound_matches(text: str, found: list[list], sounds: dict, full_names: dict, cache: dict | None = None
                  ) -> list[list]:
    """Other spellings (Alexandra for Aleksandra) and other scripts (Михаил, 王伟) of roster names.

    ``cache`` (word -> identity or None, for these ``sounds``) is kept by the caller across texts: the
    same capitalised words come back in every entry of a document."""
    if not sounds and not full_names:
        return []
    taken = [(s[0], s[1]) for s in found]

    def free(start, end):
        return not any(a < end and start < b for a, b in taken)

    if cache is None:
        cache = {}
    elif len(cache) > 100_000:
        cache.clear()
    out = []
    for match in _CAP_LATIN.finditer(text):
        word = match.group()
        who = cache.get(word, _UNSEEN)
        if who is _UNSEEN:
            who = cache[word] = _sound_identity(word, sounds)
        if who is not None and free(*match.span()):
            out.append([match.start(), match.end(), who, "person", ""])
    if text.isascii() or not _BEYOND_LATIN.search(text):
        return out
    words = [m for m in _OTHER_SCRIPT.finditer(text) if free(*m.span())]
    # A name of short syllables written word by word ("Тан Вэй Мин"): consecutive words joined.
    index = 0
    while index < len(words):
        found_at = None
        for stop in range(min(len(words), index + 4), index + 1, -1):
            run = words[index:stop]
            if any(text[a.end():b.start()].strip() for a, b in zip(run, run[1:])) or (len(run[0].group()) < 2 and not _HANGUL.match(run[0].group())):
                continue  # only spaces between; a one-letter word is an article ("Η"), not a syllable
            key = "".join(re.sub(r"[^a-z]", "", anyascii(m.group()).lower()) for m in run)
            who = full_names.get(key) or full_names.get(sound_key(key)) or \
                (_HANGUL.match(run[0].group()) and full_names.get("ko:" + korean_key(key)))
            if who:
                out.append([run[0].start(), run[-1].end(), who, "person", ""])
                found_at = stop
                break
        if found_at:
            taken.extend((m.start(), m.end()) for m in words[index:found_at])
            index = found_at
        else:
            index += 1
    for match in words:
        if not free(*match.span()):
            continue
        if _CJK.search(match.group()):
            out.extend(_cjk_matches(match.start(), match.group(), full_names))
            continue
        who = sounds.get(sound_key(match.group()))
        if who and len(who) == 1:
            out.append([match.start(), match.end(), next(iter(who)), "person", ""])
    return out


def _cjk_matches(offset: int, run: str, full_names: dict) -> list[list]:
    """A full name written in Chinese, Japanese or Korean characters: syllables joined, either order."""
    syllables = [re.sub(r"[^a-z]", "", anyascii(c).lower()) for c in run]
    out, i = [], 0
    while i < len(run):
        best = None
        joined = ""
        for j in range(i, min(len(run), i + 6)):
            joined += syllables[j]
            who = (full_names.get(joined) or full_names.get(sound_key(joined))
                   or (_HANGUL.match(run[i]) and full_names.get("ko:" + korean_key(joined)))) if j > i else None
            if who:
                best = (j + 1, who)
        if best:
            out.append([offset + i, offset + best[0], best[1], "person", ""])
            i = best[0]
        else:
            i += 1
    return out


@lru_cache(maxsize=65536)
def _name_like(word: str) -> bool:
    """A capitalised word that can only be part of a name: a gazetteer first name or a rare word."""
    bare = strip_accents(word.rstrip("."))
    if not bare or bare.lower() in NOT_NAME:
        return False
    unambiguous, _ = first_names()
    # A word everyday in any of the meetings' languages is not part of a name: "Hölzls Angebot".
    return bare in unambiguous or (zipf(bare) < 3.0 and not is_foreign_everyday(bare) and not bare.isupper()) \
        or is_given_name(bare)


def shape(text: str, found: list[list], names: list[tuple[int, int, str]]) -> list[list]:
    """Whole names, one label per person, grammatical output."""
    spans = []
    moved = False  # a span widened here may need sorting again
    for span in sorted(found, key=lambda s: (s[0], -s[1])):
        start, end, identity, kind = span[0], span[1], span[2], span[3]
        if kind in ("person", "org"):
            hyphen = _HYPHEN_WORD.match(text, end) if text[end:end + 1] in _HYPHENS else None
            if hyphen and hyphen.group()[1].islower() and len(text[start:end]) <= 6 and kind == "person":
                if text[start:end].lower() == text[start:end] or is_common_word(text[start:end]):
                    continue  # "mark-ups", "Hope-filled": one word, not a name
            while hyphen:  # "Carroway-Pike", "Carroway-pike": a married or extended name is still them
                end = hyphen.end()
                hyphen = _HYPHEN_WORD.match(text, end)
            if kind == "org" and text[end:end + 1] == ".":
                tld = _TLD.match(text, end)
                if tld:
                    end = tld.end()
                    www = text.rfind("www.", max(0, start - 4), start)
                    start = www if www >= 0 else start
        moved = moved or start != span[0] or end != span[1]
        spans.append([start, end, identity, kind, span[4]])
    # Sorted by start, then the longer first, already: the order _drop_overlaps sorts them in.
    spans = _drop_overlaps(spans, presorted=not moved)
    # A wider name around a roster match is redacted whole: "Liz Carroway", "Elizabeth J. Carroway".
    for start, end, _ in names:
        inside = [s for s in spans if s[0] < end and start < s[1]]
        people = {s[2] for s in inside if s[3] == "person"}
        if len(people) == 1 and all(s[3] == "person" for s in inside):
            first = inside[0]
            extra = text[start:first[0]] + " " + text[inside[-1][1]:end]
            if not all(_name_like(w) for w in extra.split()):
                continue  # "May Liz Carroway": the month is not part of the name
            first[0], first[1] = min(start, first[0]), max(end, inside[-1][1])
            for other in inside[1:]:
                spans.remove(other)
    for span in spans:
        if span[3] == "person":
            _widen(text, span)
    spans = _join_same(text, _drop_overlaps(spans))
    for span in spans:  # "Jess’ crew": the apostrophe goes with the name, and the label says whose
        end = span[1]
        if end < len(text) and text[end] in "'’" and text[end - 1] in "sS" and \
                (end + 1 == len(text) or not text[end + 1].isalnum()):
            span[1], span[4] = end + 1, text[end] + "s"
    return spans


def _widen(text: str, span: list) -> None:
    """Take in adjacent name-like words and initials: "Liz Carroway", "Carroway Okonkwo".

    Each pattern here needs a space, a hyphen or a comma right beside the name: the character there is
    looked at first, and a pattern that cannot match is not searched (most names have a word on neither side)."""
    while span[0] and text[span[0] - 1].isspace():
        if _no_capital_before(text, span[0]):
            break
        match = _WORD_LEFT.search(text[max(0, span[0] - 30):span[0]])
        if not match or not (_name_like(match.group(1)) or _INITIAL.fullmatch(match.group(1))):
            break
        if _INITIAL.fullmatch(match.group(1)) and not match.group(1).endswith("."):
            break
        span[0] -= len(match.group())
    hyphened = _HYPHENED_INITIALS.search(text, max(0, span[0] - 12), span[0]) \
        if span[0] and text[span[0] - 1] in _HYPHENS_OR_LINE_END else None
    if hyphened:  # "H.-J. Hölzl": the initials of a double given name
        span[0] = hyphened.start()
    honorific = _honorific_before(text, span[0])
    if honorific:  # "Dr. K. Brandt": the title goes with the name it belongs to
        span[0] = honorific.start()
    while True:
        following = text[span[1]:span[1] + 1]
        match = _WORD_RIGHT.match(text, span[1], span[1] + 30) \
            if following.isspace() and following not in "\r\n" else None
        if match and _INITIAL_DOT.fullmatch(match.group(1)):  # "Priyanka R." : the surname's initial
            span[1] += len(match.group())
            more = _HYPHENED_INITIAL_AFTER.match(text, span[1])  # "Mette F.-H."
            span[1] = more.end() if more else span[1]
            break
        initials = _COMMA_INITIALS.match(text, span[1]) if following == "," else None
        if initials:
            span[1] = initials.end()
            break
        if not match or not _name_like(match.group(1)) or match.group(1).endswith("."):
            break
        span[1] += len(match.group())


def _no_capital_before(text: str, start: int) -> bool:
    """Is the name at ``start`` one space after a word without a capital ("said Anne")? Then _WORD_LEFT, a
    capitalised word and spaces up to the name, cannot match there."""
    if start < 2 or text[start - 1] != " " or text[start - 2].isspace():
        return False
    word_start = max(text.rfind(" ", max(0, start - 30), start - 1) + 1, start - 30, 0)
    return text[word_start:start - 1].islower()


def _join_same(text: str, spans: list[list]) -> list[list]:
    """One label per person: "Mary Anne" or "Elizabeth J. Carroway" matched in pieces becomes one span."""
    out: list[list] = []
    for span in spans:
        if out and out[-1][2] == span[2] and not out[-1][4]:
            gap = text[out[-1][1]:span[0]]
            if _SAME_PERSON_GAP.fullmatch(gap) and "\n" not in gap and (span[3] == "person" or "," not in gap):
                out[-1][1] = span[1]
                out[-1][4] = span[4]
                continue
        out.append(span)
    return out


def _drop_overlaps(spans: list[list], presorted: bool = False) -> list[list]:
    out: list[list] = []
    for span in spans if presorted else sorted(spans, key=lambda s: (s[0], -(s[1] - s[0]))):
        if out and span[0] < out[-1][1]:
            # Overlapping matches are redacted as their union: nothing of either may be left behind.
            out[-1][1] = max(out[-1][1], span[1])
            continue
        out.append(span)
    return out


HONORIFIC_WORDS = frozenset(h.lower() for h in HONORIFICS)
