"""Each quote in one section only: the one it fits best, so every section shows its own evidence.

The pickers choose each section's quotes independently, so the most striking narrative used to appear in
four or five sections of one agenda, crowding out others. This pass runs over the finished evidence (it
does not care how the quotes were picked) and keeps each quote where it fits best:

1. beside a watermelon flag (it is that flag's evidence);
2. in a section whose own theme it concerns ("why: theme: ...");
3. under a segment a plan targets (marketing, sales: any narrative of that segment's customers);
4. in a section whose own touchpoint it concerns ("why: touchpoint: ...");
5. in the customer section only because that section hears every narrative (its "why" is the same as
   another section's, so the theme or touchpoint belongs there).

Ties go to the earlier section (customer first). A list that would be left empty takes back its first quote
from a list that keeps others, so no section loses its only voice to a better fit elsewhere. ``per_list`` trims every list afterwards, so pickers may
offer spare quotes and each section still shows its own quota.
"""
from __future__ import annotations

import copy
from collections.abc import Iterator, Mapping
from typing import Any, TypeVar

VOICE_LISTS = ("customer_quotes", "customer_praise", "staff_quotes")
_WATERMELON, _THEMED, _SEGMENT, _TOUCHPOINT, _HEARS_ALL = 4, 3, 2, 1, 0


def quote_key(quote: dict | str) -> str:
    """Two quotes are the same if their words are (case and spacing aside)."""
    text = quote if isinstance(quote, str) else quote.get("text", "")
    return " ".join(str(text).split()).casefold()


def _places(evidence: Mapping[str, Mapping[str, Any]]) -> Iterator[tuple[int, str, list, int, dict | str]]:
    """Every quote list in the agenda: (section order, section, the list, list fit, quote) per quote."""
    for order, (section, found) in enumerate(evidence.items()):
        watermelons = found.get("watermelons")
        if isinstance(watermelons, dict):
            for flag in watermelons.get("watermelons") or []:
                for quote in flag.get("quotes") or []:
                    yield order, section, flag["quotes"], _WATERMELON, quote
        for segment in found.get("segments") or []:
            for quote in segment.get("quotes") or []:
                yield order, section, segment["quotes"], _SEGMENT, quote
        for name in VOICE_LISTS:
            for quote in found.get(name) or []:
                yield order, section, found[name], _THEMED, quote


def _why(quote: dict | str) -> str:
    return "" if isinstance(quote, str) else str(quote.get("why") or "").strip()


# A section's evidence, whichever mapping type it comes as (agenda's SectionEvidence, a test's plain dict): returned as given.
_SectionT = TypeVar("_SectionT", bound=Mapping[str, Any])


def assign_quotes_once(evidence: dict[str, _SectionT], *, per_list: int | None = None) -> dict[str, _SectionT]:
    """A copy of ``evidence`` (section -> its evidence, in agenda order) in which no quote appears twice."""
    result = copy.deepcopy(evidence)
    places = list(_places(result))
    whys_by_quote: dict[str, list[tuple[str, str]]] = {}
    for _, section, _, _, quote in places:
        whys_by_quote.setdefault(quote_key(quote), []).append((section, _why(quote)))

    def fit(section: str, base: int, quote) -> int:
        if base != _THEMED:
            return base
        why = _why(quote)
        shared = any(other != section and other_why == why for other, other_why in whys_by_quote[quote_key(quote)])
        if section == "customer" and shared:
            return _HEARS_ALL
        return _THEMED if why.startswith("theme") else _TOUCHPOINT

    best: dict[str, tuple[int, int, int]] = {}  # quote -> (-fit, section order, place index): smallest wins
    for index, (order, section, _, base, quote) in enumerate(places):
        rank = (-fit(section, base, quote), order, index)
        key = quote_key(quote)
        if key not in best or rank < best[key]:
            best[key] = rank
    keep = {rank[2] for rank in best.values()}
    _refill_empty_lists(places, keep)

    # Rebuild each list in place (the lists are the copy's own), keeping only each quote's best placement.
    by_list: dict[int, tuple[list, list]] = {}
    for index, (_, _, owner, _, quote) in enumerate(places):
        kept = by_list.setdefault(id(owner), (owner, []))[1]
        if index in keep:
            kept.append(quote)
    for owner, kept in by_list.values():
        owner[:] = kept[:per_list] if per_list is not None else kept
    return result


def _refill_empty_lists(places: list, keep: set[int]) -> None:
    """Give an emptied list back its first quote when the list holding that quote keeps another one."""
    indexes_by_list: dict[int, list[int]] = {}
    for index, (_, _, owner, _, _) in enumerate(places):
        indexes_by_list.setdefault(id(owner), []).append(index)
    holder = {quote_key(places[i][4]): i for i in keep}
    for indexes in indexes_by_list.values():
        if any(i in keep for i in indexes):
            continue
        for index in indexes:
            key = quote_key(places[index][4])
            held_at = holder[key]
            siblings = indexes_by_list[id(places[held_at][2])]
            if sum(i in keep for i in siblings) > 1:
                keep.discard(held_at)
                keep.add(index)
                holder[key] = index
                break


def sections_of_each_quote(evidence: dict[str, dict]) -> dict[str, set[str]]:
    """Which sections show each quote: what a test or a check of an agenda asks."""
    seen: dict[str, set[str]] = {}
    for _, section, _, _, quote in _places(evidence):
        seen.setdefault(quote_key(quote), set()).add(section)
    return seen
