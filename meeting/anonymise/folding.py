"""Text folding shared by every layer: accents, case, hyphens and apostrophes, and the prefix-tree regex.

``fold`` is length-preserving so that an offset found in folded text is the same offset in the original.
"""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from anyascii import anyascii

# Character classes built from the Latin blocks, because Python's ``re`` has no \p{Lu}: "Ł", "Ø", "İ" and
# "Ș" must start a capitalised word like "A" does. Combining marks count as lowercase so that names typed in
# decomposed form (e + U+0301) still match.
_LATIN = [chr(c) for c in range(0x41, 0x250)]
UP = "[" + "".join(re.escape(c) for c in _LATIN if c.isupper()) + "]"
LOW = "[" + "".join(re.escape(c) for c in _LATIN if c.islower()) + "\u0300-\u036f]"
# A capitalised word: Sarah, McDonald, O'Brien, D'Souza, DiMaggio; never ALL-CAPS (acronyms are not names).
CAPREST = rf"(?:{LOW}|['’](?={UP})|{UP}(?={LOW}))+"
CAPWORD = rf"{UP}{CAPREST}"
CAPNAME = rf"{CAPWORD}(?:-{CAPWORD})*"
PARTICLES = r"(?:van|von|de|der|den|del|della|di|da|du|la|le|dos|das|ter|bin|ibn|al|el|y)"
HSPACE = r"[^\S\r\n]+"  # spaces and tabs: a name never runs across a line break

# Letters that Unicode does not decompose into base + accent.
_NO_DECOMPOSITION = str.maketrans({"Ł": "L", "ł": "l", "Ø": "O", "ø": "o", "Đ": "D", "đ": "d", "ß": "ss",
                                   "Æ": "AE", "æ": "ae", "Œ": "OE", "œ": "oe", "ı": "i", "Þ": "Th", "þ": "th"})


def strip_accents(text: str) -> str:
    """Lefèvre -> Lefevre, Zieliński -> Zielinski, Łukasz -> Lukasz, Søren -> Soren."""
    decomposed = unicodedata.normalize("NFD", text)
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return bare.translate(_NO_DECOMPOSITION)


def _fold_table() -> dict[int, str]:
    """Length-preserving fold: lower case, no accents, one kind of hyphen, apostrophe and space."""
    table: dict[int, str] = {}
    for code in list(range(0x41, 0x250)) + list(range(0x1E00, 0x1F00)):
        char = chr(code)
        if not char.isalpha():
            continue
        base = strip_accents(char).lower()
        if len(base) == 1 and base != char:
            table[code] = base
        elif len(base) > 1:  # ß, æ, œ: first letter, so that the string keeps its length
            table[code] = base[0]
    for char in "‐‑‒–—−":
        table[ord(char)] = "-"
    for char in "’ʼ‘`´":
        table[ord(char)] = "'"
    for char in "\t\n\r\u00a0\u2009\u202f\u2007":
        table[ord(char)] = " "
    return table


_FOLD = _fold_table()
# The same table as a string indexed by code point, each character mapped to itself unless folded: str.translate
# looks a character up in it twice as fast as in the dict, and leaves one beyond its end as it is.
_FOLD_BY_CODE = "".join(_FOLD.get(code, chr(code)) for code in range(max(_FOLD) + 1))


def fold(text: str) -> str:
    """Lower-case, accent-free, same length: what roster terms are matched against."""
    return text.translate(_FOLD_BY_CODE)


@lru_cache(maxsize=65536)
def canonical(folded: str) -> str:
    """The lookup key of a folded term or match: apostrophes and dots dropped, separators one space."""
    return re.sub(r"[ -]+", " ", folded.replace("'", "").replace(".", "").replace("_", " ")).strip()


@lru_cache(maxsize=65536)
def sound_key(word: str) -> str:
    """A spelling-blind key for one name in any script: Aleksandra/Alexandra, Mikhail/Michail/Михаил,
    Yelena/Jelena/Elena share a key. Letters only; transliterated first (anyascii)."""
    key = anyascii(word).lower()
    key = "".join(c for c in key if c.isalpha())
    for old, new in (("x", "ks"), ("ph", "f"), ("w", "v"), ("y", "i"), ("j", "i"), ("c", "k"), ("q", "k"),
                     ("z", "s"), ("h", ""), ("ng", "n")):  # Мин for Ming: Russian renders -ng as -n
        key = key.replace(old, new)
    out: list[str] = []
    for char in key:
        if not out or out[-1] != char:
            out.append(char)
    key = "".join(out)
    if len(key) > 2 and key[0] == "i" and key[1] in "aeou":  # Yelena, Jelena -> elena
        key = key[1:]
    return key


_KOREAN_SOUNDS = (("woo", "u"), ("sh", "s"), ("ch", "j"), ("k", "g"), ("t", "d"), ("p", "b"), ("l", "r"), ("oo", "u"),
                  ("ee", "i"), ("eo", "u"), ("eu", "u"), ("oi", "e"), ("oe", "e"), ("ae", "e"))


@lru_cache(maxsize=65536)
def korean_key(romanised: str) -> str:
    """A key that Korean romanisations share: "Min-jun"/"Minjun"/민준 (MinJun), "Jihoon"/지훈 (JiHun),
    "Hyun"/현 (Hyeon). Letters only, consonant voicing and the vowel spellings folded."""
    key = "".join(c for c in romanised.lower() if c.isalpha())
    for old, new in _KOREAN_SOUNDS:
        key = key.replace(old, new)
    out: list[str] = []
    for char in key:
        if not out or out[-1] != char:
            out.append(char)
    return "".join(out)


def units(folded: str) -> list[str]:
    """A folded term as trie units: letters, and the flexible SEP / APOS / DOT."""
    out: list[str] = []
    for char in folded.strip():
        if char in " -_":
            if out and out[-1] != "SEP":
                out.append("SEP")
        elif char == "'":
            out.append("APOS")
        elif char == ".":
            out.append("DOT")
        else:
            out.append(char)
    return out


# A separator between name parts may be a space, a hyphen or an underscore ("Liz_Carroway.pdf"); an
# apostrophe may be typed, dropped or written as a space ("O Hara").
_UNIT_RE = {"SEP": "[ _-]+", "APOS": "(?:'|[ ]?)", "DOT": r"[._]?"}  # "t.krause", "t_krause", "tkrause"


def trie_regex(terms: list[list[str]]) -> str:
    """One regex for many terms, as a prefix tree: matching costs the length of a term, not their number."""
    trie: dict = {}
    for term_units in terms:
        node = trie
        for unit in term_units:
            node = node.setdefault(unit, {})
        node[""] = {}

    def render(node: dict) -> str:
        alternatives = [(_UNIT_RE.get(unit) or re.escape(unit)) + render(child)
                        for unit, child in sorted(node.items()) if unit]
        if not alternatives:
            return ""
        body = alternatives[0] if len(alternatives) == 1 else "(?:" + "|".join(alternatives) + ")"
        return f"(?:{body})?" if "" in node else body

    return render(trie)


# Characters that show as nothing: zero-width space, (non-)joiner, soft hyphen, word joiner, BOM, direction
# marks, every other Unicode format character (category Cf), and the combining grapheme joiner. Text pasted
# from documents and chat tools carries them inside names ("Jür\u200bgen"), so matching ignores them.
_INVISIBLE_CHARS = "".join(chr(c) for c in range(0x10000) if unicodedata.category(chr(c)) == "Cf") + "\u034f"
INVISIBLE = re.compile("[" + re.escape(_INVISIBLE_CHARS) + "]")


def without_invisible(text: str) -> tuple[str, list[int] | None]:
    """``text`` without invisible characters, and where each remaining character was (None if none were)."""
    if not INVISIBLE.search(text):
        return text, None
    positions = [i for i, char in enumerate(text) if not INVISIBLE.match(char)]
    return "".join(text[i] for i in positions), positions


def spans_to_original(spans: list[tuple[int, int, str]], positions: list[int] | None
                      ) -> list[tuple[int, int, str]]:
    """Spans found in ``without_invisible(text)[0]`` as offsets in ``text``: invisible characters inside a
    span go with it."""
    if positions is None:
        return spans
    return [(positions[start], positions[end - 1] + 1, replacement) for start, end, replacement in spans if end > start]
