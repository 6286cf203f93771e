"""The editable theme taxonomy and touchpoint list (``meeting/data/themes.csv``, ``meeting/data/touchpoints.csv``).

Themes are keyword rules a user can read and change; each theme belongs to one agenda section, which is
how a customer's or colleague's words reach the section they concern. A theme holds its cues per language
(``keywords`` is English, ``keywords_fr`` .. ``keywords_nl`` the others): one theme whatever the language a
customer wrote in, so the agenda counts its mentions across languages. How cues match (stems, phrases,
German and Dutch compounds, ``*`` for a word's start or end) is ``meeting.evidence.tagging``'s. Touchpoints carry their section,
whether they are a moment of truth, and aliases ("Install" = "Installation").
"""
from __future__ import annotations

import csv
import os
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from meeting.resources import DATA_DIR
from meeting.store import SECTION_KEYS


def taxonomy_dir() -> Path:
    """Where themes.csv and touchpoints.csv live: ``OUTSIDE_IN_TAXONOMY_DIR``, else ``data/``.

    Read on every call, so tests (and a second organisation on the same install) can point elsewhere.
    """
    return Path(os.environ.get("OUTSIDE_IN_TAXONOMY_DIR") or DATA_DIR)


def themes_path() -> Path:
    return taxonomy_dir() / "themes.csv"


def touchpoints_path() -> Path:
    return taxonomy_dir() / "touchpoints.csv"


# The languages a theme has cues for, besides English (its ``keywords``), in column order.
CUE_LANGUAGES = ("fr", "de", "es", "nl")


@dataclass(frozen=True)
class Theme:
    name: str
    section: str
    keywords: tuple[str, ...]   # English cues
    cues: tuple[tuple[str, tuple[str, ...]], ...] = ()   # (language, cues) for the other languages

    def cues_for(self, language: str | None) -> tuple[str, ...]:
        """This theme's cues in ``language`` (English: ``keywords``); every language's when it is unknown."""
        if language == "en":
            return self.keywords
        if language is None:
            return self.all_cues
        return dict(self.cues).get(language, ())

    @property
    def all_cues(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(self.keywords + tuple(cue for _, cues in self.cues for cue in cues)))

    @property
    def pattern(self) -> str:
        # Word boundaries so "bill" does not match "billion"; longest keywords first so regex alternation
        # prefers "on hold" to "hold". A "*" (a word's start or end, for the tagger) is dropped here.
        words = sorted({w.strip("*") for w in self.keywords if w.strip("*")}, key=len, reverse=True)
        return r"\b(?:" + "|".join(re.escape(w) for w in words) + r")\b"


@dataclass(frozen=True)
class TouchpointRule:
    name: str
    section: str
    moment_of_truth: bool
    aliases: tuple[str, ...]


def normalise_label(text: object) -> str:
    """Case- and whitespace-insensitive key for touchpoints, segments and the like."""
    return " ".join(str(text or "").split()).casefold()


def _split(value: str | None) -> tuple[str, ...]:
    return tuple(part.strip().casefold() for part in (value or "").split(";") if part.strip())


def _check_section(path: Path, line: int, section: str) -> str:
    section = normalise_label(section)
    if section not in SECTION_KEYS:
        raise ValueError(f"{path.name} row {line}, column section: {section!r} is not one of {', '.join(SECTION_KEYS)}")
    return section


def load_themes(path: str | Path | None = None) -> tuple[Theme, ...]:
    path = Path(path or themes_path())
    return _load_themes(str(path), path.stat().st_mtime)


@lru_cache(maxsize=8)
def _load_themes(path: str, _mtime: float) -> tuple[Theme, ...]:
    themes = []
    with open(path, newline="", encoding="utf-8") as handle:
        for line, row in enumerate(csv.DictReader(handle), start=2):
            keywords = _split(row.get("keywords"))
            if not row.get("theme") or not keywords:
                raise ValueError(f"{Path(path).name} row {line}: a theme needs a name and at least one keyword")
            cues = tuple((language, found) for language in CUE_LANGUAGES
                         if (found := _split(row.get(f"keywords_{language}"))))
            themes.append(Theme(row["theme"].strip(), _check_section(Path(path), line, row.get("section", "")),
                                keywords, cues))
    return tuple(themes)


def load_touchpoints(path: str | Path | None = None) -> tuple[TouchpointRule, ...]:
    path = Path(path or touchpoints_path())
    return _load_touchpoints(str(path), path.stat().st_mtime)


@lru_cache(maxsize=8)
def _load_touchpoints(path: str, _mtime: float) -> tuple[TouchpointRule, ...]:
    rules = []
    with open(path, newline="", encoding="utf-8") as handle:
        for line, row in enumerate(csv.DictReader(handle), start=2):
            if not row.get("touchpoint"):
                raise ValueError(f"{Path(path).name} row {line}, column touchpoint: empty")
            rules.append(TouchpointRule(
                name=" ".join(row["touchpoint"].split()),
                section=_check_section(Path(path), line, row.get("section", "")),
                moment_of_truth=normalise_label(row.get("moment_of_truth")) in {"yes", "y", "true", "1"},
                aliases=_split(row.get("aliases")),
            ))
    return tuple(rules)


def touchpoint_key(name: object, rules: tuple[TouchpointRule, ...] = ()) -> str:
    """The key two touchpoint labels share when they mean the same touchpoint.

    "Install", " installation " and "INSTALLATION" all give "installation" when the alias list says so.
    """
    key = normalise_label(name)
    for rule in rules:
        if key == normalise_label(rule.name) or key in rule.aliases:
            return normalise_label(rule.name)
    return key


def touchpoint_rule(name: object, rules: tuple[TouchpointRule, ...]) -> TouchpointRule | None:
    key = touchpoint_key(name, rules)
    return next((rule for rule in rules if normalise_label(rule.name) == key), None)


def is_moment_of_truth(name: object, rules: tuple[TouchpointRule, ...]) -> bool:
    rule = touchpoint_rule(name, rules)
    return bool(rule and rule.moment_of_truth)


def touchpoint_section(name: object, rules: tuple[TouchpointRule, ...], themes: tuple[Theme, ...]) -> str | None:
    """The section a touchpoint belongs to: from the touchpoint list, else from the themes its name matches."""
    rule = touchpoint_rule(name, rules)
    if rule:
        return rule.section
    text = normalise_label(name)
    for theme in themes:
        if re.search(theme.pattern, text):
            return theme.section
    return None


# --- editing (the Taxonomy page) ------------------------------------------------------------------------

THEME_COLUMNS = ("theme", "section", "keywords", *(f"keywords_{language}" for language in CUE_LANGUAGES))
TOUCHPOINT_COLUMNS = ("touchpoint", "section", "moment_of_truth", "aliases")


def theme_rows(themes: tuple[Theme, ...]) -> list[dict]:
    return [{"theme": t.name, "section": t.section, "keywords": "; ".join(t.keywords),
             **{f"keywords_{language}": "; ".join(t.cues_for(language)) for language in CUE_LANGUAGES}}
            for t in themes]


def touchpoint_rows(rules: tuple[TouchpointRule, ...]) -> list[dict]:
    return [{"touchpoint": r.name, "section": r.section, "moment_of_truth": r.moment_of_truth,
             "aliases": "; ".join(r.aliases)} for r in rules]


def _write_rows(path: Path, columns: tuple[str, ...], rows: list[dict]) -> None:
    """Write via a temporary file and rename, so a crash never leaves half a taxonomy behind."""
    temporary = path.with_suffix(".csv.tmp")
    with open(temporary, "w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns)
        writer.writeheader()
        writer.writerows({column: row.get(column, "") for column in columns} for row in rows)
    temporary.replace(path)


def _clean_rows(rows: list[dict], columns: tuple[str, ...]) -> list[dict]:
    cleaned = []
    for row in rows:
        values = {c: ("" if row.get(c) is None or row.get(c) != row.get(c) else row.get(c)) for c in columns}
        if any(str(v).strip() for v in values.values() if not isinstance(v, bool)):
            cleaned.append(values)
    return cleaned


def save_themes(rows: list[dict], path: str | Path | None = None) -> tuple[Theme, ...]:
    """Validate edited theme rows (name, section, keywords) and write them; nothing is written on error."""
    path = Path(path or themes_path())
    rows = _clean_rows(rows, THEME_COLUMNS)
    problems, names = [], set()
    for line, row in enumerate(rows, start=2):
        if not str(row["theme"]).strip():
            problems.append(f"{path.name} row {line}, column theme: empty")
        elif normalise_label(row["theme"]) in names:
            problems.append(f"{path.name} row {line}, column theme: {row['theme']!r} appears twice")
        names.add(normalise_label(row["theme"]))
        if normalise_label(row["section"]) not in SECTION_KEYS:
            problems.append(f"{path.name} row {line}, column section: {row['section']!r} is not one of {', '.join(SECTION_KEYS)}")
        if not _split(str(row["keywords"])):
            problems.append(f"{path.name} row {line}, column keywords: at least one keyword, separated by ';'")
    if problems:
        raise ValueError("\n".join(problems))
    _write_rows(path, THEME_COLUMNS, [{**row, "section": normalise_label(row["section"])} for row in rows])
    return load_themes(path)


def save_touchpoints(rows: list[dict], path: str | Path | None = None) -> tuple[TouchpointRule, ...]:
    """Validate edited touchpoint rows and write them; nothing is written on error."""
    path = Path(path or touchpoints_path())
    rows = _clean_rows(rows, TOUCHPOINT_COLUMNS)
    problems = []
    for line, row in enumerate(rows, start=2):
        if not str(row["touchpoint"]).strip():
            problems.append(f"{path.name} row {line}, column touchpoint: empty")
        if normalise_label(row["section"]) not in SECTION_KEYS:
            problems.append(f"{path.name} row {line}, column section: {row['section']!r} is not one of {', '.join(SECTION_KEYS)}")
    if problems:
        raise ValueError("\n".join(problems))
    _write_rows(path, TOUCHPOINT_COLUMNS, [{
        **row, "section": normalise_label(row["section"]),
        "moment_of_truth": "yes" if row["moment_of_truth"] is True or normalise_label(row["moment_of_truth"]) in {"yes", "y", "true", "1"} else "no",
    } for row in rows])
    return load_touchpoints(path)
