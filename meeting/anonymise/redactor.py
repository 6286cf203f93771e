"""Layer 2: the roster-driven redactor for minutes, contributions and carried actions.

Roster terms are matched first (one prefix-tree regex over folded text), then widened to the whole name
people wrote ("Liz Carroway-Pike", "Elizabeth J. Carroway"), then other spellings and scripts are found by
sound key; what ``patterns`` finds by shape fills the gaps. Ordinary words that are also roster names
("Grace", "Mark", "May") count only with evidence: the surname beside them, an honorific or cue before
them, a speech verb after them, or a capital in mid-sentence (never for a month).

Labels: one person in a text (one minutes entry) reads "[a participant]" (or their group); two or more
different people in the same entry are "[participant A]", "[participant B]", so "A thanked B" keeps its
meaning. A redactor built for one document (``one_document``, as the export's is) gives a letter once and
keeps it with that person in every later entry: "[participant A]" never stands for two people in one export
(issue 24). Otherwise letters follow the order of mention in each text.
"""
from __future__ import annotations

import calendar
import re
import unicodedata

from meeting.anonymise import matching
from meeting.anonymise.folding import fold, spans_to_original, trie_regex, units, without_invisible
from meeting.anonymise.labels import GROUPS, GUEST_NAME_LABEL, ORG_KINDS, PARTICIPANT, REDACTED, label, letters
from meeting.anonymise.patterns import (
    CONTACT_LABELS,
    EXTENSION,
    LINK_LABEL,
    NAME,
    PHONE_LABEL,
    apply_spans,
    digit_windows,
    generic_spans,
    merge_spans,
    non_overlapping,
)
from meeting.anonymise.variants import derive
from meeting.anonymise.wordlists import is_ordinary

_HAS_DIGIT = re.compile(r"\d")
# Endings a name takes in the meetings' languages: the German genitive "s" ("Hölzls"), Polish and other
# Slavic cases ("Nowaka", "Nowakowi", "Nowakiem", "Nowaku"). Folded, so "ą" and "ę" are "a" and "e".
_INFLECTION = "s|a|owi|em|iem|u|ie|y|i|om|ego|emu|ej"


def _inflected(text: str, folded: str, start: int, name_end: int, end: int, term) -> bool:
    """Is ``text[start:end]`` the roster name ``text[start:name_end]`` with a case ending? Only for a name
    that is no everyday word, of five letters or more; "s" never after s, x or z ("Lars")."""
    ending = folded[name_end:end]
    if term.case != "any" or term.needs_evidence or term.kind != "person" or name_end - start < 5:
        return False
    if ending == "s" and folded[name_end - 1] in "sxz":
        return False
    written = text[name_end:end]
    return written.isupper() if text[start:name_end].isupper() else written.islower()
_NO_SPACE_SCRIPTS = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff"
_JOINED_SCRIPT = re.compile(rf"[{_NO_SPACE_SCRIPTS}\u0600-\u06ff]")
# Months, and the other calendar words a roster name can be ("Summer", "June", "Sunday"): "Summer will be
# busy", "May to June" read them as time, not as a person acting.
_CONTACT = frozenset(CONTACT_LABELS.values())
MONTHS = frozenset(m.lower() for m in (*calendar.month_name, *calendar.day_name) if m) | {
    "spring", "summer", "autumn", "fall", "winter"}


class Redactor:
    """Replaces every roster-derived term, then what ``mask_identifiers`` finds, in one text at a time."""

    def __init__(self, participants: list[dict], extra_terms=(), *, by_group: bool = False,
                 one_document: bool = False):
        self.by_group = by_group
        # Letters given so far, per class, when every text redacted belongs to one document.
        self._document: dict[str, list] | None = {} if one_document else None
        self._people = [dict(p) for p in participants]
        self._kind_by_name = {p["name"]: p.get("kind") for p in self._people}
        self.roster = derive(self._people, extra_terms)
        self._terms = self.roster.terms
        # "O Hara" for "O'Hara": the apostrophe typed as a space gives a key with a space in it.
        self._joined = {key.replace(" ", ""): term for key, term in self._terms.items()}
        self._pattern = None
        # Remembered per redactor, since a document's entries repeat the same names and words: what a
        # matched folded string is (its key, term and identity), what a capitalised word sounds like, and
        # each identity's numbering class and noun (all fixed once the roster is derived).
        self._match_cache: dict[str, tuple] = {}
        self._sound_cache: dict = {}
        self._nouns: dict = {}
        self._labels: dict = {}
        if self._terms:
            trie = trie_regex([units(form) for form in self.roster.forms])
            # Boundaries are letters and digits, not "_": "Carroway_site_report.pdf" is a match. A quote
            # before a name is not part of a word ("‘Northwind cannot"), an apostrophe inside one is.
            # A German genitive has no apostrophe ("Hölzls Angebot"): a trailing "s" is tried, and kept
            # only for a name that is not an everyday word (see _roster_matches).
            # Polish and other Slavic surnames decline: "Wąsowicza", "Wąsowiczowi", "z Nowakiem".
            self._pattern = re.compile(rf"(?<![^\W_])(?<![^\W_]')(?:{trie})({_INFLECTION})?(?![^\W_])")
            # Japanese and Chinese put no space between words ("田中さん"), Arabic joins "and", "by", "for"
            # to the next word ("وأحمد"): in text with those scripts, a second pass with those boundaries.
            self._joined_scripts_pattern = re.compile(
                rf"(?:(?<![^\W_])|(?<=[{_NO_SPACE_SCRIPTS}])|(?<=(?<![^\W_])[وبلفك]))(?:{trie})"
                rf"(?:(?![^\W_])|(?=[{_NO_SPACE_SCRIPTS}]))")
        cores = sorted({r"[ ().\-]*".join(core) for core in self.roster.phone_cores}, key=len, reverse=True)
        self._phone_pattern = re.compile(
            rf"(?=[\d+(])(?<![\d+])(?:\(?(?:\+|00)[\d ().\-]{{1,10}}?|\(?0[\d ().\-]{{0,6}}?|\()?(?:{'|'.join(cores)})(?!\d){EXTENSION}?"
        ) if cores else None
        self._stem_finder = matching.stem_finder(self.roster.stems)

    @staticmethod
    def normalise(text: str | None) -> str:
        """The form of ``text`` that ``find_spans`` offsets refer to (Unicode NFC)."""
        text = text or ""
        return text if unicodedata.is_normalized("NFC", text) else unicodedata.normalize("NFC", text)

    # -- finding -------------------------------------------------------------------------------------------
    def _roster_matches(self, text: str, folded: str) -> list[list]:
        """[start, end, identity, kind, suffix] of roster terms in ``text`` (already NFC)."""
        found: list[list] = []
        if self._pattern is None:
            return found
        matches = list(self._pattern.finditer(folded))
        if _JOINED_SCRIPT.search(text):
            seen = {m.span() for m in matches}
            matches += [m for m in self._joined_scripts_pattern.finditer(folded) if m.span() not in seen]
        cache = self._match_cache
        if len(cache) > 100_000:
            cache.clear()
        for match in matches:
            start, end = match.span()
            name_end = match.start(1) if match.re is self._pattern and match.group(1) else end
            matched = folded[start:name_end]
            hit = cache.get(matched)
            if hit is None:
                hit = cache[matched] = self._lookup(matched)
            key, term, identity = hit
            if term is None or (term.case != "any" and not matching.case_ok(text, start, name_end, term.case)):
                continue
            if key[1:2] == " " and not text[start].isupper():
                # An initial is a capital: "Z. Wróblewska", but "z Wróblewską" is "with W." and only the
                # surname after the preposition is the person.
                rest = re.search(r"[^\W_]", folded[start + 1:name_end])
                start = start + 1 + rest.start() if rest else name_end
                key = matching.canonical_key(folded[start:name_end])
                term = self._terms.get(key) or self._joined.get(key.replace(" ", ""))
                if term is None or not matching.case_ok(text, start, name_end, term.case):
                    continue
                identity = _identity(term)
            if name_end != end and not _inflected(text, folded, start, name_end, end, term):
                continue  # "Marks" is not Mark's; "Lars" + s is not a genitive
            found.append([start, end, identity, term.kind, term.needs_evidence])
        return found

    def _lookup(self, matched: str) -> tuple:
        """(key, term or None, identity or None) of a folded roster match."""
        key = matching.canonical_key(matched)
        term = self._terms.get(key) or self._joined.get(key.replace(" ", ""))
        return key, term, (None if term is None else _identity(term))

    def _phone_spans(self, text: str, windows: list[tuple[int, int]]) -> list[tuple[int, int, str]]:
        """Roster phones in any form: by their national number or last eight digits, whatever the
        separators, prefix and extension ("+65 9123 4567", "9123 4567 ext. 31")."""
        if self._phone_pattern is None or not _HAS_DIGIT.search(text):
            return []
        return [(m.start(), m.end(), PHONE_LABEL) for start, end in windows
                for m in self._phone_pattern.finditer(text, start, end)]

    def _identity_noun(self, identity) -> tuple[str, str]:
        """(numbering class, noun) of an identity."""
        if identity == ("extra",):
            return "extra", "redacted"
        if isinstance(identity, tuple) and identity and identity[0] == "org":
            noun = ORG_KINDS[self.roster.org_kind.get(identity[1], "other")]
            return noun, noun
        indices = [identity[1]] if identity[0] == "person" else [i[1] for i in identity if i[0] == "person"]
        if any(i[0] == "org" for i in identity if isinstance(i, tuple)) and not indices:
            return "organisation", "organisation"
        if self.by_group and indices:
            kinds = {self._people[i].get("kind") for i in indices}
            if len(kinds) == 1 and next(iter(kinds)) in GROUPS:
                noun = GROUPS[next(iter(kinds))][0]
                return noun, noun
        return PARTICIPANT, PARTICIPANT

    def find_spans(self, text: str | None) -> list[tuple[int, int, str]]:
        """(start, end, replacement) for everything that will be replaced in ``normalise(text)``, in order.

        Invisible characters (zero-width space, soft hyphen ...) are ignored while matching, and a span
        takes in those inside it: "Jür\u200bgen" is Jürgen."""
        text = self.normalise(text)
        if not text:
            return []
        visible, positions = without_invisible(text)
        return spans_to_original(self._find_spans(visible), positions)

    def _find_spans(self, text: str) -> list[tuple[int, int, str]]:
        folded = fold(text)
        matched = self._roster_matches(text, folded)
        roster = matching.keep_with_evidence(text, matched, MONTHS)
        roster += matching.stem_matches(text, folded, self._stem_finder, self.roster.stems)
        roster += matching.handle_matches(text, self.roster.handles, self.roster.surnames, self.roster.full_names)
        # A roster word judged an ordinary word here ("der Zimmermann") is not found again by its sound.
        roster += matching.sound_matches(text, roster + matched, self.roster.sounds, self.roster.full_names,
                                         self._sound_cache)
        windows = digit_windows(text) if _HAS_DIGIT.search(text) else []
        # Capitalised runs wholly inside a roster match need no name-by-shape search (a third of the time).
        generic = generic_spans(text, windows, covered=sorted([(s[0], s[1]) for s in roster]))
        contact, names, by_shape = [], [], []
        for span in generic:
            if span[2] in _CONTACT:
                contact.append(span)
            else:
                by_shape.append(span)
                if span[2] == NAME:
                    names.append(span)
        if self.roster.phone_cores:  # the roster's own phone wins: it knows where the number really ends
            contact = merge_spans(self._phone_spans(text, windows), contact)
        roster = matching.shape(text, roster, names)
        roster = _resolve_ambiguous(roster)
        # Number identities per class in order of first mention: two people in one entry stay two. In one
        # document (``one_document``) a letter, once given, stays with its person in every later text.
        order: dict[str, list] = {}
        nouns = self._nouns
        document = self._document
        for found in roster:
            identity = found[2]
            noun = nouns.get(identity)
            if noun is None:
                noun = nouns[identity] = self._identity_noun(identity)
            seen = order.setdefault(noun[0], [])
            if identity not in seen:
                seen.append(identity)
            if document is not None and identity not in document.setdefault(noun[0], []):
                document[noun[0]].append(identity)
        labelled = []
        labels = self._labels
        for start, end, identity, _kind, suffix in roster:
            cls, noun = nouns[identity]
            if cls == "extra":
                labelled.append((start, end, REDACTED + suffix))
                continue
            members = order[cls] if document is None else document[cls]
            index = members.index(identity) if len(order[cls]) > 1 else None
            text_label = labels.get((noun, index))
            if text_label is None:
                text_label = labels[noun, index] = label(noun, None if index is None else letters(index))
            labelled.append((start, end, text_label + suffix))
        # A profile link made from a roster name is that person; other profile links stay "[a profile link]".
        if contact:
            contact = [c for c in contact
                       if c[2] != LINK_LABEL or not any(s[0] < c[1] and c[0] < s[1] for s in labelled)]
        spans = merge_spans(non_overlapping(contact), labelled)
        # What layer 1 finds by shape (people, organisations) only where the roster found nothing.
        return merge_spans(spans, by_shape)

    def redact(self, text: str | None) -> str:
        text = self.normalise(text)
        if not text:
            return text
        # find_spans without normalising a second time (NFC text is its own NFC form).
        visible, positions = without_invisible(text)
        return apply_spans(text, spans_to_original(self._find_spans(visible), positions))

    # -- attribution ---------------------------------------------------------------------------------------
    def group_of(self, name: str | None) -> str | None:
        kind = self._kind_by_name.get(" ".join(str(name or "").split()))
        return GROUPS[kind][0] if kind in GROUPS else None

    def speaker_label(self, name: str | None) -> str | None:
        """Who spoke, as the export may say it: "a participant", or the group when attributing by group."""
        if not name:
            return None
        group = self.group_of(name) if self.by_group else None
        return label(group or PARTICIPANT, None)[1:-1]

    def owner_label(self, name: str | None) -> str | None:
        """An action's owner, always as a group (the issue asks for it) and never as a person."""
        if not name:
            return None
        return label(self.group_of(name) or PARTICIPANT, None)[1:-1]


def build_redactor(participants: list[dict], extra_terms=(), *, by_group: bool = False,
                   one_document: bool = False) -> Redactor:
    """A redactor for one meeting: its roster (name, organisation, role, kind, email, phone, aliases) and the
    extra terms the GM added for it. ``by_group`` labels people by group ("[an invited customer]").
    ``one_document``: the texts redacted make one export, so "[participant A]" is one person throughout it."""
    return Redactor(participants, extra_terms, by_group=by_group, one_document=one_document)


def _identity(term) -> tuple:
    """Whose a term is: one identity, or the sorted tuple of those who share it ("Sam")."""
    return next(iter(term.identities)) if len(term.identities) == 1 else tuple(sorted(term.identities))


def _resolve_ambiguous(spans: list[list]) -> list[list]:
    """A name two roster people share ("Sam") is the one of them the same text also names in full."""
    if not any(span[2] and isinstance(span[2][0], tuple) for span in spans):
        return spans  # nobody's name is shared here
    named = {span[2] for span in spans if span[2] and span[2][0] == "person"}
    for span in spans:
        identity = span[2]
        if identity and isinstance(identity[0], tuple):
            candidates = [member for member in identity if member in named]
            if len(candidates) == 1:
                span[2] = candidates[0]
    return spans


GUEST = "[a guest]"


def redact_contribution(redactor, text: str | None, display_name: str | None) -> str:
    """A live contribution redacted like any entry, and the contributor's own typed name taken out too:
    a display name is whatever someone typed, so it is never taken for (or shown as) a roster person."""
    redacted = redactor.redact(text)
    name = " ".join(str(display_name or "").split())
    if not name or not hasattr(redactor, "find_spans"):
        return redacted
    words = sorted({w for w in [name, *name.split()] if len(w) > 2 and not is_ordinary(w)}, key=len, reverse=True)
    if not words:
        return redacted
    pattern = re.compile(r"(?<![^\W_])(?:" + "|".join(re.escape(w) for w in words) + r")(?![^\W_])", re.IGNORECASE)
    return pattern.sub(GUEST, redacted)


def guest_display_name(display_name: str | None) -> str | None:
    """How the internal minutes and the Run page show a contribution's display name: as typed, marked as a
    guest's own words so it never reads as a roster person."""
    name = " ".join(str(display_name or "").split())
    return f"“{name}” ({GUEST_NAME_LABEL})" if name else None
