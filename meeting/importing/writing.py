"""Writing clean rows: all in one transaction or none; what makes two rows the same."""
from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

import pandas as pd

from meeting import accounts, clock, store
from meeting.importing.kinds import KindSpec, get_kind
from meeting.importing.problems import ImportFailed, ImportResult, Problem
from meeting.importing.reading import read_table
from meeting.importing.validating import _joined, validate
from meeting.store import batches, imports, units, write_transaction
from meeting.store import meetings as stored_meetings
from meeting.store.schema import BATCH_TABLES

BATCH_SIZE = 5_000


def _target(db: store.Database, spec: KindSpec, unit, meeting_id, filename: str) -> int | None:
    """The meeting (for meeting kinds) after checking it exists; problems raise ImportFailed."""
    if spec.scope == "meeting":
        try:
            status = stored_meetings.get_meeting(db, _as_int(meeting_id))["status"]
        except LookupError:
            raise ImportFailed(filename, [Problem(None, None, f"there is no meeting with id {meeting_id}.")]) from None
        if spec.name == "minutes" and status == "closed":
            raise ImportFailed(filename, [Problem(None, None, f"meeting {meeting_id} is closed; its minutes can "
                                                              "no longer change.")])
        return _as_int(meeting_id)
    if isinstance(unit, int) and store.find_unit(db, unit) is None:
        raise ImportFailed(filename, [Problem(None, "unit", f"there is no unit with id {unit}.")])
    return None


def _as_int(value) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return -1


def _unit_ids(db: store.Database, names: pd.Series, unit) -> tuple[pd.Series, tuple[str, ...]]:
    ids: dict[str, int] = {}
    labels: dict[int, str] = {}
    for name in names.dropna().unique().tolist():
        if isinstance(unit, int) and name == str(unit):
            unit_id = unit
        else:
            found = store.find_unit(db, name)
            unit_id = found["id"] if found else store.get_or_create_unit(db, name)
        ids[name] = unit_id
        label = units.unit_name(db, unit_id)
        assert label is not None, "the unit was just found or created"
        labels[unit_id] = label
    return names.map(ids), tuple(sorted(set(labels.values())))


_NUMBERED_ID = r"\d{1,8}|.{1,6}"  # ids a tool numbers per survey (1, 2, 3...): only unique within it
_COPY_SUFFIX = r"(\s*\((?=[^)]*\d)[^)]*\)|\s*-\s*copy|\s*copy)+$"


def source_name(filename: str) -> str:
    """The survey a file holds, from its name: ``Customer Survey(1-20).xlsx`` and ``Customer Survey(1-35).xlsx``
    (Microsoft Forms numbers its downloads), or ``x (1).csv`` (a browser's second download), are one survey."""
    stem = Path(str(filename)).stem
    stem = re.sub(_COPY_SUFFIX, "", stem, flags=re.IGNORECASE)
    return " ".join(stem.split()).casefold() or "file"


def source_keys(spec: KindSpec, clean: pd.DataFrame, source: str | None = None) -> pd.Series:
    """The key that makes a re-import skip rows already there.

    VoC uses the response id where there is one. Ids a tool numbers per survey (short ones: Microsoft Forms'
    1, 2, 3...) are scoped by ``source`` (the survey: ``--source``, the export's survey id, or the file's
    name), so two surveys' response 1 are two responses; long ids (Qualtrics R_..., SurveyMonkey respondent
    ids, Typeform tokens) are unique across surveys and kept as they are, unless ``source`` was given
    explicitly (then every id is scoped). Without an id the key hashes the row's canonical values plus how many
    identical rows came before it in the file, so a re-import adds nothing while two identical responses in one
    file are both kept.
    """
    scope = clean["unit"].astype("str").fillna("") if "unit" in clean else pd.Series("", index=clean.index)
    if spec.unique and not spec.id_field:
        return pd.Series(_hashes(_joined(clean[list(spec.unique)], casefold=True)), index=clean.index, dtype="str")
    keys = clean[spec.id_field].copy() if spec.id_field else pd.Series(pd.NA, index=clean.index, dtype="str")
    if spec.id_field and source is not None:
        survey = clean.attrs.get("survey_ids")
        scoped = keys.notna() if clean.attrs.get("source_given") else \
            keys.str.fullmatch(_NUMBERED_ID).fillna(False).astype(bool)
        if scoped.any():
            prefix = survey[scoped].fillna(source) if survey is not None else source
            keys[scoped] = "s:" + prefix + "\x1f" + keys[scoped]
    unkeyed = keys.isna()
    if unkeyed.any():
        content = _joined(clean.loc[unkeyed, list(spec.field_names)])
        ordinal = content.groupby([scope[unkeyed].str.casefold().to_numpy(), content.to_numpy()]).cumcount()
        keys[unkeyed] = _hashes(content + "\x1e" + ordinal.astype("str"))
    return keys


def _hashes(content: pd.Series) -> list[str]:
    return ["h:" + hashlib.blake2b(text.encode("utf-8"), digest_size=16).hexdigest() for text in content.tolist()]


def insert_batch(db, spec: KindSpec, columns: list[str], rows) -> None:
    """One batch of a kind's rows; a row already there (same owner and key) is left alone, or has the kind's
    ``update`` columns replaced."""
    owner = "unit_id" if spec.scope == "unit" else "meeting_id"
    conflict = [owner] + (["source_key"] if spec.source_key else list(spec.unique))
    # Participants keep what a sparser re-import leaves blank; measured values are simply replaced.
    imports.insert_rows(db, spec.table, columns, rows, conflict, spec.update, keep_existing=spec.name == "participants")


@dataclass(frozen=True)
class ImportPlan:
    """What an import would write, worked out without writing: the clean rows and what was decided."""
    kind: str
    clean: pd.DataFrame = field(repr=False)        # canonical rows as they will be stored (index = file row)
    mapping: dict[str, str | None]                 # canonical -> the file's column
    skipped: dict[str, int]                        # rows that are not responses, by reason
    rejected: list[Problem]                        # bad rows left out (only with skip_bad_rows)
    new_units: tuple[str, ...]                     # units the import creates


_SURVEY_ID_COLUMNS = ("surveyid", "survey id", "survey_id", "form id", "formid", "form_id")


def plan_import(db: store.Database, kind: str, frame: pd.DataFrame, *, filename: str,
                unit: str | int | None = None, meeting_id: int | None = None,
                mapping: Mapping[str, str | None] | None = None, constants: Mapping[str, object] | None = None,
                source: str | None = None, create_units: bool = False, skip_bad_rows: bool = False,
                decimal: str | None = None) -> ImportPlan:
    """Validate every row and decide everything an import decides; raise ImportFailed if it cannot go ahead.

    With ``skip_bad_rows`` the rows with problems are left out (``ImportPlan.rejected``) instead of stopping
    the import; problems of the file or a whole column still stop it.
    """
    spec = get_kind(kind)
    clean, problems = validate(kind, frame, mapping, filename=filename, constants=constants, unit=unit,
                               meeting_id=meeting_id, decimal=decimal)
    rejected: list[Problem] = []
    if problems and skip_bad_rows and all(p.row is not None for p in problems):
        rejected, problems = problems, []
        clean = clean.drop(index=sorted({p.row for p in rejected if p.row is not None}), errors="ignore")  # all are
    if problems:
        raise ImportFailed(filename, problems)
    _target(db, spec, unit, meeting_id, filename)
    new_units: tuple[str, ...] = ()
    if spec.scope == "unit":
        names = [n for n in clean["unit"].dropna().unique().tolist() if not (isinstance(unit, int) and n == str(unit))]
        new_units = unknown_units(db, names)
        from_column = unit in (None, "")
        if new_units and from_column and not create_units:
            raise ImportFailed(filename, [Problem(None, clean.attrs["mapping"].get("unit") or "unit", (
                f"these units are not known yet: {', '.join(new_units)}. Add --create-units to create them, or "
                "put every row in one unit with --unit NAME"))])
    if spec.source_key and spec.id_field:
        survey_column = next((c for c in frame.columns if c.casefold() in _SURVEY_ID_COLUMNS), None)
        if survey_column is not None and not source:
            survey = frame[survey_column].astype("str").str.strip()
            clean.attrs["survey_ids"] = survey.reindex(clean.index).where(lambda s: s != "").str.casefold()
        clean.attrs["source_given"] = bool(source)
        clean["source_key"] = source_keys(spec, clean, " ".join(source.split()).casefold() if source
                                          else source_name(filename))
    elif spec.source_key:
        clean["source_key"] = source_keys(spec, clean)
    return ImportPlan(kind, clean, dict(clean.attrs.get("mapping", {})), dict(clean.attrs.get("skipped", {})),
                      rejected, new_units)


def unknown_units(db: store.Database, names) -> tuple[str, ...]:
    """The unit names (from a unit column) that no unit has yet: created only when the user says so."""
    return tuple(sorted({str(n) for n in names if n not in (None, "") and store.find_unit(db, n) is None}))


def write_rejects(frame: pd.DataFrame, rejected: list[Problem], destination) -> None:
    """The refused rows as the file had them, with their row number and reasons, as CSV (path or buffer)."""
    reasons: dict[int, list[str]] = {}
    for problem in rejected:
        assert problem.row is not None, "only problems of a row are rejected rows"
        reasons.setdefault(problem.row, []).append(f"{problem.column}: {problem.message}" if problem.column
                                                   else problem.message)
    rows = frame.loc[sorted(r for r in reasons if r in frame.index)].copy()  # in the order of the file
    rows.insert(0, "row", rows.index)
    rows["reasons"] = ["; ".join(reasons[r]) for r in rows.index]
    rows.to_csv(destination, index=False)


def import_frame(db: store.Database, kind: str, frame: pd.DataFrame, *, filename: str,
                 unit: str | int | None = None, meeting_id: int | None = None,
                 mapping: Mapping[str, str | None] | None = None, constants: Mapping[str, object] | None = None,
                 progress: Callable[[int, int], None] | None = None, source: str | None = None,
                 create_units: bool = False, skip_bad_rows=None, decimal: str | None = None, user=None) -> ImportResult:
    """Validate every row, then write them all in one transaction; raise ImportFailed and write nothing if any
    row is bad. ``unit`` is a unit's name (created if new) or id; ``progress(done, total)`` follows the write.
    ``skip_bad_rows``: a path or buffer to write refused rows to (CSV, with reasons) while the rest imports.
    ``user`` (None: the CLI) may write only into their own units (PermissionError, nothing written); audited.
    """
    accounts.require(user, "import", "importing")
    plan = plan_import(db, kind, frame, filename=filename, unit=unit, meeting_id=meeting_id, mapping=mapping,
                       constants=constants, source=source, create_units=create_units,
                       skip_bad_rows=skip_bad_rows is not None, decimal=decimal)
    if plan.rejected:
        write_rejects(frame, plan.rejected, skip_bad_rows)
    return write_plan(db, plan, unit=unit, meeting_id=meeting_id, progress=progress, user=user, filename=filename)


def write_plan(db: store.Database, plan: ImportPlan, *, unit=None, meeting_id=None,
               progress: Callable[[int, int], None] | None = None, user=None, filename: str = "") -> ImportResult:
    spec = get_kind(plan.kind)
    clean = plan.clean
    meeting = _as_int(meeting_id) if spec.scope == "meeting" else None
    total = len(clean)
    columns = (["source_key"] if spec.source_key else []) + list(spec.field_names)
    values = clean[columns]
    if plan.kind == "minutes":
        values = values.assign(created_at=clock.now_iso())
    if progress:
        progress(0, total)
    with imports.bulk_write(db):
        result = _write(db, spec, clean, values, unit, meeting, progress, user, filename)
    return replace(result, skipped=tuple(plan.skipped.items()), rejected=len({p.row for p in plan.rejected}),
                   mapping=tuple((k, v) for k, v in plan.mapping.items() if v))


def _write(db, spec: KindSpec, clean: pd.DataFrame, values: pd.DataFrame, unit, meeting, progress, user=None,
           filename: str = "") -> ImportResult:
    total = len(clean)
    with write_transaction(db):
        if spec.scope == "unit":
            owner_ids, units = _unit_ids(db, clean["unit"], unit)
            for unit_id in set(owner_ids) if user is not None else ():  # a refusal rolls back new units too
                accounts.require_unit(db, user, unit_id)
            values = values.assign(unit_id=owner_ids)
        else:
            units = ()
            accounts.require_meeting(db, user, meeting)
            values = values.assign(meeting_id=meeting)
        values = values[[values.columns[-1], *values.columns[:-1]]]
        batch_id = open_batch(db, user, spec, filename)
        if batch_id is not None:
            values = values.assign(import_batch_id=batch_id)
        columns = list(values.columns)
        before = imports.count_rows(db, spec.table)
        last_id = newest_id(db, spec)
        for start in range(0, total, BATCH_SIZE):
            # Python objects one batch at a time: the whole file as tuples would double peak memory.
            batch = values.iloc[start:start + BATCH_SIZE].astype(object)
            batch = batch.where(batch.notna(), None)
            insert_batch(db, spec, columns, batch.itertuples(index=False, name=None))
            if progress:
                progress(min(start + BATCH_SIZE, total), total)
        inserted = imports.count_rows(db, spec.table) - before
        prepare_evidence(db, spec, last_id)
        record_import(db, user, spec.name, filename, total, inserted, units, meeting)
        close_batch(db, batch_id, spec, rows=total, inserted=inserted, units=units)
    return ImportResult(inserted, total - inserted, units, batch_id=batch_id)


def open_batch(db, user, spec: KindSpec, filename: str) -> int | None:
    """The batch this import's rows carry (unit-level kinds: the ones a meeting reviews and undo removes)."""
    if spec.table not in BATCH_TABLES:
        return None
    return batches.start_batch(db, spec.name, filename, clock.now_iso(), accounts.audit.actor_name(user))


def close_batch(db, batch_id: int | None, spec: KindSpec, *, rows: int, inserted: int, units) -> None:
    if batch_id is not None:
        # A re-import that replaces values in place (metrics, finance, plans) cannot be undone to the old values.
        replaced = rows - inserted if spec.update else 0
        batches.finish_batch(db, batch_id, rows=rows, inserted=inserted, replaced=replaced, units=units)


def undo_import(db: store.Database, batch_id: int, *, user=None) -> int:
    """Remove exactly the rows one import added, in one transaction; the rows removed. Month summaries of the
    responses removed are rebuilt when next read. Refused (ValueError, nothing removed) where the batch replaced
    values or a closed meeting reviewed its months; ``user`` may undo only imports into their own units."""
    accounts.require(user, "import", "undoing an import")
    with write_transaction(db):
        if user is not None:
            for unit_id in batches.batch_unit_ids(db, batch_id):
                accounts.require_unit(db, user, unit_id)
        removed = batches.undo_batch(db, batch_id, clock.now_iso())
        accounts.audit.record(db, user, accounts.audit.IMPORT, {"undo_batch": int(batch_id), "removed": removed})
    return removed


def recent_imports(db: store.Database, unit_ids, limit: int = 10) -> list[batches.ImportBatch]:
    """The last import batches into any of these units (the ones a user may see), newest first."""
    found = {b.id: b for unit_id in unit_ids for b in batches.list_batches(db, unit_id, limit)}
    # A batch into several units names only the ones asked about: another unit's name is not the user's to see.
    names = {units.unit_name(db, unit_id) for unit_id in unit_ids} - {None}
    return [replace(found[i], units=", ".join(u for u in found[i].units.split(", ") if u in names))
            for i in sorted(found, reverse=True)[:limit]]


def newest_id(db, spec: KindSpec) -> int:
    return imports.newest_id(db, spec.table)


def prepare_evidence(db, spec: KindSpec, after_id: int) -> None:
    """Customer responses are tagged (themes, sentiment) and their months summarised as they are written,
    inside the import's transaction: computed once, so no page pays for it later (issue 12)."""
    if spec.table == "voc_responses":
        from meeting.evidence.months import prepare_new_responses

        prepare_new_responses(db, after_id)


def record_import(db, user, kind: str, filename: str, rows: int, inserted: int, units, meeting=None) -> None:
    """The audit trail's line for an import: who, which file, how many rows, where they went."""
    accounts.audit.record(db, user, accounts.audit.IMPORT, {"kind": kind, "file": filename, "rows": int(rows),
                                                            "inserted": int(inserted), "units": list(units),
                                                            **({"meeting_id": int(meeting)} if meeting else {})})


def import_file(db: store.Database, kind: str, path: str | os.PathLike, *, unit: str | int | None = None,
                meeting_id: int | None = None, mapping: Mapping[str, str | None] | None = None,
                constants: Mapping[str, object] | None = None,
                progress: Callable[[int, int], None] | None = None, header_row: int | None = None,
                sheet: str | None = None, **options) -> ImportResult:
    """``read_table`` then ``import_frame``: the whole import of one file. ``options``: source, create_units,
    skip_bad_rows, decimal (see ``import_frame``)."""
    from meeting.importing import streaming  # streaming builds on this module

    # A signed-in user's import takes the in-memory path, where its unit checks live; the CLI streams.
    if options.get("user") is None and streaming.can_stream(path, kind, skip_bad_rows=options.get("skip_bad_rows"),
                                                            sheet=sheet):
        # A large VoC CSV: memory follows a chunk, not the file; same checks, one transaction.
        result = streaming.stream_import(db, path, unit=unit, mapping=mapping, constants=constants,
                                         source=options.get("source"), create_units=options.get("create_units", False),
                                         decimal=options.get("decimal"), header_row=header_row, progress=progress)
        record_import(db, None, kind, Path(path).name, result.inserted + result.duplicates, result.inserted,
                      result.units)
        return result
    filename = Path(path).name
    frame = read_table(path, filename, header_row=header_row, sheet=sheet)
    return import_frame(db, kind, frame, filename=filename, unit=unit, meeting_id=meeting_id, mapping=mapping,
                        constants=constants, progress=progress, **options)


def parse_assignments(pairs: Iterable[str] | None, option: str) -> dict[str, str | None]:
    """``["score=Likelihood to recommend (0-10)"]`` -> ``{"score": "Likelihood to recommend (0-10)"}``."""
    out: dict[str, str | None] = {}
    for pair in pairs or ():
        name, sep, value = pair.partition("=")
        if not sep or not name.strip():
            raise ImportFailed(option, [Problem(None, None, f"{pair!r} is not canonical=value")])
        out[name.strip()] = value.strip() or None
    return out
