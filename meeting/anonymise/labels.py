"""What replaces an identity: labels by group, letters for two or more people in one text, warnings."""
from __future__ import annotations

import re

GROUPS = {  # participant kind -> (one, many): how a person is called when attributed by group
    "leader": ("leadership team member", "leadership team members"),
    "customer": ("invited customer", "invited customers"),
    "frontline": ("frontline colleague", "frontline colleagues"),
    "guest": ("guest", "guests"),
}
GROUP_ORDER = tuple(GROUPS)
PARTICIPANT = "participant"
ORG_KINDS = {"ours": "our organisation", "customer": "customer organisation", "other": "organisation"}
REDACTED = "[redacted]"
# A live contribution's display name is whatever the contributor typed: it is never a roster identity.
GUEST_NAME_LABEL = "as given by a guest"


def label(noun: str, letter: str | None) -> str:
    if letter is not None:
        return f"[{noun} {letter}]"
    if noun.startswith("our "):
        return f"[{noun}]"
    return f"[{'an' if noun[0] in 'aeiou' else 'a'} {noun}]"


def letters(index: int) -> str:
    """A, B, ... Z, AA, AB ...: enough for any meeting."""
    out = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        out = chr(65 + rest) + out
    return out


def parse_extra_terms(text: str | None) -> list[str]:
    """Extra terms typed by the GM, one per line or comma separated, blanks and duplicates dropped.

    Case is kept: a term typed with a capital ("Bill") matches only capitalised ("the bill" stays)."""
    seen: dict[str, str] = {}
    for part in re.split(r"[,;\n]", text or ""):
        term = " ".join(part.split())
        if term and term.lower() not in seen:
            seen[term.lower()] = term
    return list(seen.values())


def attribution_warnings(participants: list[dict], *, by_group: bool, owners=()) -> list[str]:
    """Plain-language warnings for the review step: a group of one identifies its member."""
    counts = {kind: 0 for kind in GROUPS}
    kind_by_name = {}
    for person in participants:
        if person.get("kind") in counts:
            counts[person["kind"]] += 1
            kind_by_name[person["name"]] = person["kind"]
    warnings = []
    if by_group:
        for kind, count in counts.items():
            if count == 1:
                warnings.append(f"Only one {GROUPS[kind][0]} is present: attributing by group identifies them. "
                                f"Attribute to \"a participant\" instead, or accept the risk.")
    lonely_owners = sorted({kind_by_name[o] for o in owners if kind_by_name.get(o) and counts[kind_by_name[o]] == 1},
                           key=GROUP_ORDER.index)
    for kind in lonely_owners:
        warnings.append(f"An action is owned by the only {GROUPS[kind][0]} present: the owner's group identifies them.")
    return warnings


# --- the labels in the unit's language (issue 27) ---------------------------------------------------------------
# The redactor always labels in English (its rules compare labels); a document in another language has its labels
# replaced as the last step, each through the documents catalogue, whose message ids are the English labels below.

def _nouns() -> list[str]:
    return [PARTICIPANT, *(one for one, _ in GROUPS.values()), *ORG_KINDS.values(), "organisation"]


def label_messages() -> list[str]:
    """Every label a document can carry, as the catalogue's message ids: "[a participant]", "[participant {letter}]"."""
    from meeting.anonymise.patterns import CONTACT_LABELS, NAME, ORG_LABEL

    fixed = [label(noun, None) for noun in _nouns()] + [REDACTED, NAME, ORG_LABEL, "[a guest]",
                                                        *CONTACT_LABELS.values()]
    return list(dict.fromkeys(fixed + [f"[{noun} {{letter}}]" for noun in _nouns()]))


def _label_patterns() -> tuple[re.Pattern, re.Pattern]:
    nouns = "|".join(re.escape(noun) for noun in sorted(_nouns(), key=len, reverse=True))
    fixed = [m for m in label_messages() if "{letter}" not in m]
    return (re.compile(rf"\[({nouns}) ([A-Z]{{1,3}})\]"),
            re.compile("|".join(re.escape(m) for m in sorted(fixed, key=len, reverse=True))))


def localise_labels(text: str | None, translate) -> str:
    """``text`` with each English label replaced by ``translate``'s ("[a participant]" -> "[un participant]")."""
    if not text or "[" not in text:
        return text or ""
    lettered, fixed = _label_patterns()
    text = lettered.sub(lambda m: translate(f"[{m.group(1)} {{letter}}]").format(letter=m.group(2)), text)
    return fixed.sub(lambda m: translate(m.group(0)), text)
