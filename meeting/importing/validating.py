"""Every row checked against its kind; clean canonical rows and every problem found. Writes nothing."""
from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass

import pandas as pd

from meeting.formatting import currency_of
from meeting.importing.kinds import SCALE_RANGES, Field, KindSpec, get_kind, normalise_header
from meeting.importing.mapping import resolve_mapping
from meeting.importing.parsing import (
    CURRENCY_SIGNS,
    DATE_ORDERS,
    _scale_hint,
    currencies,
    decide_decimal,
    leading_numbers,
    parse_dates,
    parse_datetimes,
    parse_numbers,
    parse_periods,
)
from meeting.importing.problems import Problem, rows_shown
from meeting.importing.reading import _as_text, _blank
from meeting.importing.scorelabels import read_labels

# Cells meaning "no value" in number and date columns; in text columns they are the customer's own words.
_BLANK_TOKENS = ("", "na", "n/a", "#n/a", "nan", "null", "none", "-", "--", "?")  # "?": ServiceNow's empty


@dataclass(frozen=True)
class Reading:
    """How a file's cells are read, decided once per file or column (never per cell)."""
    date_order: str | None = None   # dmy | mdy | None (decided per column from its values)
    decimal: str | None = "."       # the file's decimal separator
    excel: bool = False             # numbers in date columns are Excel serials
    percent_as: str | None = None   # bare numbers beside percentages: "fraction" (x100) or "points"


def validate(kind: str, frame: pd.DataFrame, mapping: Mapping[str, str | None] | None, *, filename: str,
             constants: Mapping[str, object] | None = None, unit: str | int | None = None,
             meeting_id: int | None = None, decimal: str | None = None) -> tuple[pd.DataFrame, list[Problem]]:
    """Clean canonical rows (index = spreadsheet row) and every problem found; writes nothing.

    ``mapping`` is canonical -> the file's column (missing keys are suggested; None = not in the file).
    ``constants`` gives a value for a column the file lacks, or fills its blank cells. ``decimal`` ("," or
    ".") overrides the decimal separator found from the file. Rows that are not responses (unfinished, preview
    or test, empty) are dropped by rule: ``clean.attrs["skipped"]`` counts them by reason;
    ``clean.attrs["mapping"]`` is the mapping used.
    """
    spec = get_kind(kind)
    headers = [str(c) for c in frame.columns]
    frame = frame.copy()
    frame.columns = headers
    if frame.index.name != "row":  # read_table numbers rows as the file does; any other frame: header = row 1
        frame.index = pd.RangeIndex(2, len(frame) + 2, name="row")
    problems: list[Problem] = []
    constants = dict(constants or {})
    date_order = constants.pop("date_order", None)
    score_labels = constants.pop("score_labels", None)
    assert score_labels is None or isinstance(score_labels, str), "--score-labels is one comma-separated text"
    percent_as = constants.pop("percent_as", None)
    if percent_as not in (None, "fraction", "points"):
        problems.append(Problem(None, "percent_as", f"--percent-as {percent_as!r}: must be fraction or points"))
        percent_as = None
    label_scale = None
    if date_order is not None:
        date_order = DATE_ORDERS.get(normalise_header(date_order))
        if date_order is None:
            problems.append(Problem(None, "date_order", "must be dmy (day first) or mdy (month first)"))
    if decimal not in (None, ",", "."):
        problems.append(Problem(None, "decimal", f"--decimal {decimal!r}: must be , (comma) or . (dot)"))
        decimal = "."
    mapping = resolve_mapping(kind, headers, mapping, frame)
    known = {f.name for f in spec.all_fields}
    for canonical, header in mapping.items():
        if canonical not in known:
            problems.append(Problem(None, canonical, f"is not a column of {kind}; its columns are "
                                                     f"{', '.join(known)}"))
        elif header is not None and header not in headers:
            problems.append(Problem(None, header, f"is not a column of the file (mapped to {canonical}); the "
                                                  f"file's columns are: {', '.join(headers)}"))
    used: dict[str, str] = {}
    for canonical, header in mapping.items():
        if header in headers and canonical in known:
            if header in used:
                problems.append(Problem(None, header, f"is mapped to both {used[header]} and {canonical}: a "
                                                      "column can fill only one"))
            used.setdefault(header, canonical)
    for canonical in constants:
        if canonical not in known:
            problems.append(Problem(None, canonical, f"cannot be set: not a column of {kind}; its columns are "
                                                     f"{', '.join(sorted(known))}"))
    mapping = {k: (v if v in headers else None) for k, v in mapping.items() if k in known}
    label = {name: mapping.get(name) or name for name in known}

    # Truly empty lines, and rows the survey tool marks as not real responses, are skipped and counted.
    frame = frame[~_blank(frame).all(axis=1)] if len(frame.columns) else frame
    frame, skipped = skip_non_responses(frame, frame.attrs.get("layout", "plain"))
    footer = footer_rows(frame)
    if footer.any():
        skipped["footer and totals rows (not data)"] = int(footer.sum())
        frame = frame[~footer]
    if decimal is None:
        numbers = [_cells(frame[mapping[f.name]]) for f in spec.fields
                   if f.type in ("number", "score") and mapping.get(f.name)]
        decimal, example = decide_decimal(numbers, frame.attrs.get("delimiter"))
        if decimal is None:
            what = ("some numbers use a decimal comma and others a decimal dot" if example == "mixed" else
                    f"numbers such as {example!r} could have a decimal or a thousands separator")
            problems.append(Problem(None, None, f"{what}: say which separator marks decimals with --decimal , "
                                                "(European) or --decimal . (English)"))
            decimal = "."
    reading = Reading(date_order, decimal, bool(frame.attrs.get("excel")), percent_as)
    clean = pd.DataFrame(index=frame.index)

    def report(mask: pd.Series, name: str, message: Callable[[object], str], values: pd.Series) -> None:
        col = label[name]
        for row, value in zip(mask.index[mask.to_numpy()], values[mask].tolist()):
            problems.append(Problem(int(row), col, message(value)))

    for spec_field in spec.all_fields:
        name = spec_field.name
        header = mapping.get(name)
        text = _cells(frame[header]) if header else pd.Series(pd.NA, index=frame.index, dtype="str")
        if spec_field.type in ("date", "datetime", "period", "number", "score") or (
                spec.name == "tickets" and spec_field.type != "text"):  # ServiceNow writes "?" for empty
            text = text.where(~text.str.lower().isin(_BLANK_TOKENS))
        if spec_field.type == "score":
            # A 0-10 question's header ("How likely ... recommend") reads its end labels as 0 and 10, numbers or not.
            stated = _scale_hint(f"{header or ''} {frame.attrs.get('questions', {}).get(header, '')}".strip())
            text, label_scale, complaint = read_labels(leading_numbers(text), score_labels, nps=stated == "nps")
            if complaint:
                problems.append(Problem(None, label[name], complaint))
                text = pd.Series(pd.NA, index=text.index, dtype="str")  # said once, not once per row
        constant = constants.get(name)
        if constant not in (None, "") and _constant_ok(spec_field, constant, reading, problems):
            text = text.fillna(" ".join(str(constant).split()))
            if header is None:
                label[name] = f"{name} (set)"
        if spec_field.required and header is None and name not in constants:
            problems.append(Problem(None, name, (
                f"the required column {name} is missing: map one of the file's columns to it (--map "
                f"{name}=\"Column name\") or give one value for every row (--set {name}=...). The file's "
                f"columns are: {', '.join(headers)}")))
        elif spec_field.required:
            report(text.isna(), name, lambda v: (  # report calls it at once: the loop's name is still this field's
                f"{name} is empty; it is required (fill it in, or give blank cells one value with --set {name}=...)"), text)
        clean[name] = _parse_field(spec_field, text, reading, label, problems, report)
        if spec_field.type == "number":
            _one_currency(clean, name, currencies(text), label[name], problems)
            marked = text.str.strip().str.endswith("%").fillna(False).astype(bool) & clean[name].notna()
            if marked.any():
                _one_percent_unit(clean, name, marked, text, _PERCENT_GROUPS.get(kind), reading.percent_as,
                                  label[name], problems)

    if spec.scope == "unit":
        _check_unit(clean, mapping, unit, label, problems, report)
    else:
        clean = clean.drop(columns=[c for c in ("unit",) if c in clean])
        if meeting_id in (None, ""):
            problems.append(Problem(None, None, f"{kind} belong to a meeting: choose one (--meeting ID)."))
    if kind == "voc":
        if label_scale:
            clean["scale"] = clean["scale"].where(clean["scale"].notna() | clean["score"].isna(), label_scale)
        empty = clean["score"].isna() & clean["narrative"].isna()
        if empty.any():
            # A response with neither a score nor a comment says nothing: skipped and counted, not refused.
            skipped["empty responses (no score, no comment)"] = int(empty.sum())
            clean = clean[~empty]
            problems[:] = [p for p in problems if p.row is None or not empty.get(p.row, False)]
        score_text = f"{mapping.get('score') or ''} {frame.attrs.get('questions', {}).get(mapping.get('score'), '')}"
        _check_voc(clean, mapping, constants, label, problems, report, score_text)
    if kind == "metrics":
        _check_percent_metrics(clean, frame, mapping, reading.percent_as, label, problems)
    _check_duplicates(spec, clean, label, report)

    problems.sort(key=lambda p: (p.row is not None, p.row or 0))
    clean.attrs = {"mapping": {k: v for k, v in mapping.items()}, "skipped": skipped, "decimal": decimal}
    return clean, problems


_FALSE = {"0", "false", "no", "n", "f"}
_NOT_RESPONSES = {"1", "2", "8", "survey preview", "survey test", "spam", "preview", "test"}


def skip_non_responses(frame: pd.DataFrame, layout: str) -> tuple[pd.DataFrame, dict[str, int]]:
    """Qualtrics rows that are not real responses: unfinished (``Finished`` false) and preview, test or spam
    (``Status``/``DistributionChannel``). Other tools export only submitted responses."""
    skipped: dict[str, int] = {}
    if not layout.startswith("qualtrics"):
        return frame, skipped
    columns = {c.casefold(): c for c in frame.columns}
    drop = pd.Series(False, index=frame.index)
    for name, reason in (("status", "preview, test or spam responses"),
                         ("distributionchannel", "preview, test or spam responses"),
                         ("finished", "unfinished responses")):
        if name not in columns:
            continue
        values = frame[columns[name]].astype("str").str.strip().str.casefold()
        hit = (values.isin(_FALSE) if name == "finished" else values.isin(_NOT_RESPONSES)).fillna(False)
        hit = hit.astype(bool) & ~drop
        if hit.any():
            skipped[reason] = skipped.get(reason, 0) + int(hit.sum())
            drop |= hit
    return frame[~drop], skipped


# A row whose first filled cell says it sums up the others: en, fr, de, es, nl; Salesforce's "(12 records)".
_TOTALS = re.compile(r"(grand\s+)?totals?|sub-?totals?|averages?|moyenne|summe|gesamt|gesamtsumme|durchschnitt|"
                     r"promedio|totaal|gemiddelde|subtotaal|(grand\s+)?totals?\s*\(\d+\s+records?\)", re.IGNORECASE)
_FOOTER = re.compile(r"copyright|confidential|all rights reserved|generated by|grand totals?\b", re.IGNORECASE)
_FOOTER_ROWS = 12  # a report's footer is a few lines; only the file's last rows are looked at


def footer_rows(frame: pd.DataFrame) -> pd.Series:
    """Rows that are not data: totals and averages rows ("Total", "Average" in their first filled cell of the
    first two columns), and a report's footer (Salesforce: report name, copyright, "Confidential Information",
    "Generated By"): the last rows holding one cell each, in a block that names itself as a footer."""
    out = pd.Series(False, index=frame.index)
    if frame.empty or len(frame.columns) < 2:
        return out
    lead = _cells(frame.iloc[:, 0]).fillna(_cells(frame.iloc[:, 1])).fillna("")  # two columns: cheap on 200k rows
    out |= lead.str.strip().str.rstrip(":").str.fullmatch(_TOTALS).fillna(False).astype(bool)
    tail = frame.tail(_FOOTER_ROWS).apply(_cells)
    single = (tail.notna().sum(axis=1) == 1).to_numpy()
    block = 0
    while block < len(tail) and single[len(tail) - 1 - block]:
        block += 1
    if block and lead.iloc[len(frame) - block:].str.contains(_FOOTER).any():
        out.iloc[len(frame) - block:] = True
    return out


def _constant_ok(spec_field: Field, constant, reading: Reading, problems: list[Problem]) -> bool:
    """Check a --set value once, rather than once for every row it fills."""
    found: list[Problem] = []

    def collect(mask, name, message, values):
        found.extend(Problem(None, f"{name} (set)", message(v)) for v in values[mask].tolist())

    text = pd.Series([" ".join(str(constant).split())], dtype="str")
    _parse_field(spec_field, text, reading, {spec_field.name: f"{spec_field.name} (set)"}, found, collect)
    problems.extend(found)
    return not found


def _cells(column: pd.Series) -> pd.Series:
    """Stripped text, NA where blank."""
    text = _as_text(column).str.strip()
    return text.where(text != "")


# Date-like kinds: the parser, whether it reads Excel serials, and what a bad cell is told.
_DATE_KINDS = {
    "date": (parse_dates, True, "is not a date ({name}: use YYYY-MM-DD)"),
    "datetime": (parse_datetimes, False, "is not a date and time ({name})"),
    "period": (parse_periods, True, "is not a month ({name}: use YYYY-MM)"),
}


def _parse_field(spec_field: Field, text: pd.Series, reading: Reading, label, problems, report) -> pd.Series:
    name, kind = spec_field.name, spec_field.type
    if kind == "text":
        return text
    if kind == "label":
        messy = text.str.contains("  |[\t\r\n\u00a0]", regex=True).fillna(False).astype(bool)
        if messy.any():
            text = text.copy()
            text[messy] = text[messy].str.replace(r"\s+", " ", regex=True)
        return text
    if kind in _DATE_KINDS:
        parse, takes_excel, wording = _DATE_KINDS[kind]
        values, bad, complaint = parse(text, reading.date_order, **({"excel": reading.excel} if takes_excel else {}))
        if complaint:
            problems.append(Problem(_row_or_none(complaint[0]), label[name], complaint[1]))
        report(bad, name, lambda v: f"{v!r} " + wording.format(name=name), text)
        return values
    if kind in ("number", "score"):
        values, bad = parse_numbers(text, reading.decimal)
        report(bad, name, lambda v: f"{v!r} is not a number ({name})", text)
        return values
    if kind == "enum":
        # Few distinct spellings in many rows: normalise each spelling once.
        choices = spec_field.choices
        assert choices is not None, "an enum field has its choices"
        lookup = {v: choices.get(normalise_header(v)) for v in text.dropna().unique().tolist()}
        values = text.map(lookup, na_action="ignore").astype("str")
        bad = text.notna() & values.isna()
        allowed = ", ".join(dict.fromkeys(choices.values()))
        report(bad, name, lambda v: f"{v!r} is not one of {allowed} ({name})", text)
        return values
    if kind == "email":
        bad = text.notna() & ~text.str.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+").fillna(False).astype(bool)
        report(bad, name, lambda v: f"{v!r} is not an email address", text)
        return text
    raise AssertionError(kind)


def _one_currency(clean: pd.DataFrame, name: str, found: pd.Series, column: str, problems: list[Problem]) -> None:
    """Amounts are stored as bare numbers: a column mixing currencies, or a finance line naming another currency
    than its cells ("Revenue (EUR)" holding £ amounts), would be stored wrong without a word."""
    found = found.where(clean[name].notna())
    named = found.dropna()
    if named.empty:
        return
    kinds = list(dict.fromkeys(named.tolist()))
    if len(kinds) > 1:
        parts = [f"{code} ({rows_shown(named.index[named == code])})" for code in kinds]
        problems.append(Problem(None, column, (
            f"the amounts are in {len(kinds)} currencies: {', '.join(parts)}. Convert them to one currency (or "
            "import each currency's rows as their own lines, naming the currency in the line)")))
        return
    if "line" in clean:
        lines = clean.loc[named.index, "line"].dropna()
        named_lines = lines.map(lambda v: _iso(currency_of(v)), na_action="ignore")
        other = named_lines.notna() & (named_lines != kinds[0])
        if other.any():
            problems.append(Problem(None, column, (
                f"the amounts are in {kinds[0]} but their line names {named_lines[other].iloc[0]} "
                f"({lines[other].iloc[0]!r}, {rows_shown(other.index[other])}): convert the amounts, or correct the "
                "line's name")))


def _iso(currency: str | None) -> str | None:
    return CURRENCY_SIGNS.get(currency, currency) if currency else None


# What one percent column is about, row by row: a metrics file holds many metrics in one Actual column.
_PERCENT_GROUPS = {"metrics": "name", "finance": "line"}


def _one_percent_unit(clean: pd.DataFrame, name: str, marked: pd.Series, text: pd.Series, group: str | None,
                      percent_as, column: str, problems: list[Problem]) -> None:
    """A column mixing "96.2%" and bare numbers (for one metric) is never stored mixed: the user says what the
    bare ones are. With fraction, bare numbers of at most 1 are fractions (0.944 = 94.4%); points: as written."""
    values = clean[name]
    keys = clean[group].fillna("") if group and group in clean else pd.Series("", index=clean.index)
    groups_marked = set(keys[marked])
    mixed = keys.isin(groups_marked) & values.notna() & ~marked
    if not mixed.any() or percent_as == "points":
        return
    if percent_as == "fraction":
        small = mixed & (values.abs() <= 1)
        clean.loc[small, name] = values[small] * 100
        return
    with_sign = marked & keys.isin(set(keys[mixed]))
    small = mixed & (values.abs() <= 1)
    first_bare = text[small].iloc[0] if small.any() else text[mixed].iloc[0]
    problems.append(Problem(None, column, (
        f"the column mixes percentages ({with_sign.sum()} such as {text[with_sign].iloc[0]!r}, "
        f"{rows_shown(with_sign.index[with_sign])}) and bare numbers ({mixed.sum()} such as {first_bare!r}, "
        f"{rows_shown(mixed.index[mixed])})" + (f" for {', '.join(repr(k) for k in sorted(set(keys[mixed])))}"
                                                 if group else "") +
        f": say what the bare ones are with --percent-as fraction ({first_bare} means {_times_100(first_bare)}%) "
        f"or --percent-as points ({first_bare} means {first_bare}%), or write them all one way")))


_PERCENT_NAME = r"%|\bpercent|\bpct\b|\brate\b|\bshare\b|\bratio\b"


def _check_percent_metrics(clean, frame, mapping, percent_as, label, problems) -> None:
    """A percentage metric whose target and actual mix 0-1 and 0-100 (95 against 0.944) is never stored mixed."""
    if clean.empty or "name" not in clean:
        return
    named = clean["name"].fillna("").str.contains(_PERCENT_NAME, case=False, regex=True).astype(bool)
    for name, rows in clean[named].groupby("name").groups.items():
        cells = clean.loc[rows, ["target", "actual"]]
        fraction = (cells > 0) & (cells < 1)
        points = cells > 1
        if not (fraction.to_numpy().any() and points.to_numpy().any()):
            continue
        if percent_as == "fraction":
            for column in ("target", "actual"):
                small = fraction[column][fraction[column]].index
                clean.loc[small, column] = clean.loc[small, column] * 100
            continue
        if percent_as == "points":
            continue
        fraction_rows = fraction.any(axis=1)
        points_rows = points.any(axis=1)
        example = cells[fraction].stack().iloc[0]
        problems.append(Problem(None, f"{label['target']}/{label['actual']}", (
            f"{name!r} mixes fractions ({rows_shown(fraction_rows.index[fraction_rows])}, e.g. {example:g}) and "
            f"points ({rows_shown(points_rows.index[points_rows])}, e.g. {cells[points].stack().iloc[0]:g}): say "
            f"which the small ones are with --percent-as fraction ({example:g} means {example * 100:g}%) or "
            f"--percent-as points, or write them all one way")))


def _times_100(text: str) -> str:
    try:
        return f"{float(str(text).replace(',', '.')) * 100:g}"
    except ValueError:
        return "x100"


def _row_or_none(label) -> int | None:
    try:
        return int(label)
    except (TypeError, ValueError):
        return None


def _check_unit(clean, mapping, unit, label, problems, report) -> None:
    if unit not in (None, ""):
        # The unit the user chose wins over any column: a file of one survey belongs to one unit.
        clean["unit"] = str(unit)
    elif mapping.get("unit"):
        report(clean["unit"].isna(), "unit", lambda v: "no unit: fill the column, or choose a unit for rows "
                                                       "without one (--unit NAME)", clean["unit"])
    else:
        problems.append(Problem(None, "unit", "these rows need a unit: choose one (--unit NAME; created if new) "
                                              "or map a column that names each row's unit"))


def _check_voc(clean, mapping, constants, label, problems, report, score_text: str = "") -> None:
    scored = clean["score"].notna()
    scale = clean["scale"].copy()
    source = pd.Series("given", index=clean.index, dtype="str")
    undecided = scored & scale.isna()
    if undecided.any():
        hint = _scale_hint(score_text.strip() or None)
        if hint:
            scale[undecided] = hint
            source[undecided] = f"from the header {mapping['score']!r}"
        else:
            scores = clean.loc[undecided, "score"]
            if ((scores == 0) | (scores > 5)).any():
                scale[undecided] = "nps"
                source[undecided] = "inferred: other scores are 0 or above 5"
            else:
                problems.append(Problem(None, label["score"], (
                    "the scores are all between 1 and 5, which fits both NPS (0-10) and CSAT (1-5): say which with "
                    "--set scale=csat (or nps), or map a scale column")))
    clean["scale"] = scale.where(scored)
    for name, (low, high) in SCALE_RANGES.items():
        on_scale = scored & (clean["scale"] == name).fillna(False).astype(bool)
        values = clean["score"]
        outside = on_scale & ((values < low) | (values > high) | (values % 1 != 0))
        shown = values.map("{:g}".format, na_action="ignore").astype("str") + "\x00" + source
        report(outside, "score", lambda v, n=name, lo=low, hi=high: (
            f"score {v.split(chr(0))[0]} is outside the {n.upper()} scale ({lo}-{hi}, whole numbers; scale "
            f"{n} {v.split(chr(0))[1]})"), shown)


def _check_duplicates(spec: KindSpec, clean: pd.DataFrame, label, report) -> None:
    """Two rows of one file claiming the same identity: a mistake to show, not to resolve silently."""
    if not spec.unique:
        return
    columns = list(spec.unique) + (["unit"] if "unit" in clean else [])
    if spec.id_field:
        keyed = clean[clean[spec.id_field].notna()]
    else:
        keyed = clean.dropna(subset=[c for c in spec.unique if spec.field(c).required])
    if keyed.empty:
        return
    key = _joined(keyed[columns], casefold=spec.id_field is None)
    repeated = key.duplicated(keep="first")
    if not repeated.any():
        return
    rows = pd.Series(keyed.index, index=keyed.index)
    first_row = rows.groupby(key.to_numpy()).transform("min")
    what = " + ".join(spec.unique)
    mask = pd.Series(False, index=clean.index)
    mask[repeated[repeated].index] = True
    shown = pd.Series("", index=clean.index, dtype="str")
    named = _joined(keyed[list(spec.unique)]).str.replace("\x1f", " / ", regex=False)
    shown[key.index] = named + "\x00" + first_row.astype("str") + "\x00" + rows.astype("str")
    report(mask, spec.unique[0], lambda v: (
        f"duplicate {what} {v.split(chr(0))[0]!r}: rows {v.split(chr(0))[1]} and {v.split(chr(0))[2]}"), shown)



def _joined(frame: pd.DataFrame, casefold: bool = False) -> pd.Series:
    parts = [frame[c].astype("str").fillna("") for c in frame.columns]
    joined = parts[0]
    for part in parts[1:]:
        joined = joined + "\x1f" + part
    return joined.str.casefold() if casefold else joined
