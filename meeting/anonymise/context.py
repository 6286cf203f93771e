"""What is around a roster match: the words and marks before and after it (an honorific, a sentence start, a
speech verb), read by ``matching`` to decide whether a match is a person. Split from ``matching`` (issue 29:
no module over 500 lines) without a change.
"""
from __future__ import annotations

import re

from meeting.anonymise.folding import UP
from meeting.anonymise.patterns import CUES, HONORIFIC, HONORIFICS
from meeting.anonymise.wordlists import LISTS_DIR

SPEECH_VERBS = frozenset(w.strip() for w in (LISTS_DIR / "speech_verbs.txt").read_text(encoding="utf-8").splitlines()
                         if w.strip() and not w.startswith("#"))
# After "Will" or "Mark" at the start of a clause, these say it is the verb: "Will you ...", "Mark the date".
VERB_OBJECTS = frozenset("you we they i he she it this that these those there the a an our your their my his "
                         "her its us them me him anyone someone everyone everybody all".split())
# Before a capitalised ordinary word, these make it a thing, not a person: "the Hope fund", "in May".
_THING_BEFORE = frozenset("the a an this that these those in on of for by since until till from to at last next "
                          "every each our your their its early late mid end".split())
# After "<Name> to", these say the "to" is not an infinitive ("Grace to the rescue", "May to date"): anything
# else lower case is read as a verb, so "Grace to send the split" is the owner of an action.
_NOT_INFINITIVE = frozenset("the a an this that these those my our your their his her its me us them him you all "
                            "each every some any no one two three date be which what whom where whose".split())
# After a name at the start of a clause, these make it the subject: "Grace will send", "Faith has the figures".
# German, Dutch, Nordic and Spanish ones too ("Rosa wird anrufen", "Roos zal bellen", "Sol tiene las cifras").
_AUXILIARIES = frozenset("will would can could should shall must might has had hasn't won't can't cannot wouldn't "
                         "couldn't shouldn't wird soll muss kann hat hatte zal moet heeft gaat skal vil har ska "
                         "måste kommer va debe tiene puede".split())
# An article or possessive before a capitalised word makes it a thing: "the Hope fund", "our Grace period".
_ARTICLE_BEFORE = frozenset("the a an this that these those our your their its my his her".split())
_WORDS_AFTER = re.compile(r"[^\S\r\n]*([\w'’]+)[^\S\r\n]+([\w'’]+)")
_CUE_WORDS = frozenset(c.rstrip(":") for c in CUES if " " not in c) | {"with", "and", "thanks", "thanked", "by"}
_HONORIFIC_BEFORE = re.compile(rf"(?i:\b{HONORIFIC})[^\S\r\n]+$")
# What an honorific ends with, read as _HONORIFIC_BEFORE reads it (any case, a dot optional).
_HONORIFIC_LAST = re.compile("(?i:[" + re.escape("".join(sorted({h[-1] for h in HONORIFICS}))) + ".])")
_DETERMINER_BEFORE = re.compile(r"(?i:\b(?:the|our|their|his|her|its|your|my))[^\S\r\n]+$")
_INDEFINITE_BEFORE = re.compile(r"(?i:\b(?:a|an|any|every|each|one|some|other|another|no|which))[^\S\r\n]+$")
_WORD_BEFORE = re.compile(r"([\w'’]+)[^\w\n]*$")
_WORD_AFTER = re.compile(r"[^\S\r\n]*([\w'’]+)")
_SENTENCE_START = re.compile(r"(?:^|[.!?:;\"“”(\[•*\n]|^\s*-)[\s'‘’\"“]*$")
_NAME_WORD = re.compile(rf"(?:{UP}[^\W\d_]*\.?)")
_INITIAL = re.compile(rf"{UP}\.?")
_INITIAL_DOT = re.compile(rf"{UP}\.")
_WORD_LEFT = re.compile(rf"({_NAME_WORD.pattern})[^\S\r\n]+$")
_WORD_RIGHT = re.compile(rf"[^\S\r\n]+({_NAME_WORD.pattern})")
# Between two pieces of one person's name: spaces, hyphens, initials, or the comma of "HÖLZL, JÜRGEN".
_SAME_PERSON_GAP = re.compile(rf"(?:,[^\S\r\n]*)?[\s\-‐‑]*(?:{UP}\.?[\s\-]+)*")
_HYPHENED_INITIAL_AFTER = re.compile(rf"(?:[-‐‑]{UP}\.)+")
_HYPHENED_INITIALS = re.compile(rf"(?<![^\W\d_])(?:{UP}\.[-‐‑])+$")
# "Krause, T." and "Krause, H.-J.": the given name's initials after the surname and a comma.
_COMMA_INITIALS = re.compile(rf",[^\S\r\n]*{UP}\.(?:-?{UP}\.)*(?![^\W\d_])")
_ACTION_BEFORE = re.compile(r"(?i)\bactions?\s*[:\-–]\s*$")
_TLD = re.compile(r"(?:\.[a-z]{2,24})+(?![\w])")
_HYPHEN_WORD = re.compile(r"[-‐‑][^\W\d_]+")
_HYPHENS = "-‐‑"
# A pattern ending in "$" also matches just before a final line break of the text searched.
_HYPHENS_OR_LINE_END = "-‐‑\n"
_CAP_LATIN = re.compile(rf"{UP}[^\W\d_]+")
_OTHER_SCRIPT = re.compile(r"[^\W\d_\u0000-\u024f\u1e00-\u1eff]+")
_BEYOND_LATIN = re.compile(r"[^\u0000-\u024f\u2000-\u206f]")
_HANGUL = re.compile(r"[\uac00-\ud7af]")
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af]")
_HANDLE = re.compile(r"(?<![\w.])@([\w.]{3,40})|linkedin\.com/(?:in|pub)/([\w%-]{3,100})", re.IGNORECASE)


def case_ok(text: str, start: int, end: int, case: str) -> bool:
    if case == "title":
        return text[start].isupper()
    if case == "upper":
        return all(not c.isalpha() or c.isupper() for c in text[start:end])
    return True


def _honorific_before(text: str, start: int):
    """``_HONORIFIC_BEFORE.search(text, max(0, start - 14), start)``, not searched where it cannot match: it
    ends in spaces (or a line break, for "$"), so a name after one space and a word that no honorific ends
    like ("said Anne") has none."""
    if start < 2 or not text[start - 1].isspace():
        return None
    if text[start - 1] == " " and not text[start - 2].isspace() and not _HONORIFIC_LAST.match(text, start - 2):
        return None
    return _HONORIFIC_BEFORE.search(text, max(0, start - 14), start)


def _sentence_start(text: str, start: int) -> bool:
    return bool(_SENTENCE_START.search(text[max(0, start - 6):start])) or start == 0


def _line_start(text: str, start: int) -> bool:
    line = text.rfind("\n", 0, start) + 1
    return not text[line:start].strip(" \t-*•>")


def _word_before(text: str, start: int) -> str:
    match = _WORD_BEFORE.search(text, max(0, start - 30), start)
    return match.group(1).lower() if match else ""


def _word_after(text: str, end: int) -> str:
    match = _WORD_AFTER.match(text, end)
    return match.group(1) if match else ""
