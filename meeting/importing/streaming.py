"""Large VoC CSV files imported in chunks, so memory follows the chunk, not the file (issue 12).

The promise stays the same as for a whole file: every row is checked, all rows are written in one transaction
or none, and what is decided per file (the day/month order of the dates, the decimal separator, the scale of
unlabelled scores) is decided from the whole file. The first chunk usually decides; when it cannot, one
quick pass over the file's date and score columns decides before anything is written. Ids repeated across
chunks are found from 64-bit hashes of the keys (a few bytes a row).
"""
from __future__ import annotations

import codecs
import os
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path

import numpy as np
import pandas as pd

from meeting import store
from meeting.importing.kinds import get_kind
from meeting.importing.parsing import _ISO_FAST, _date_part, _scale_hint, decide_date_order, decide_decimal
from meeting.importing.problems import ImportFailed, ImportResult, Problem
from meeting.importing.reading import csv_head, parser_failure
from meeting.importing.validating import validate
from meeting.importing.writing import (
    _SURVEY_ID_COLUMNS,
    close_batch,
    insert_batch,
    newest_id,
    open_batch,
    prepare_evidence,
    source_keys,
    source_name,
    unknown_units,
)
from meeting.store import imports, write_transaction
from meeting.store import units as stored_units

CHUNK_ROWS = 100_000
STREAM_BYTES = 16 * 1024 * 1024  # files at least this large stream; smaller ones are read whole


def can_stream(path, kind: str, *, skip_bad_rows=None, sheet=None) -> bool:
    """Streaming covers VoC CSV files that are large enough for memory to matter."""
    try:
        size = os.path.getsize(path)
    except (OSError, TypeError):
        return False
    name = str(path).lower()
    return (kind == "voc" and skip_bad_rows is None and sheet is None and size >= STREAM_BYTES
            and not name.endswith((".xlsx", ".xlsm", ".xls")) and _encoding(Path(path)) is not None)


def _encoding(path: Path) -> str | None:
    """utf-16 or utf-8-sig when the whole file decodes; None sends it to the whole-file reader, whose report
    names the row and column of the first unreadable byte."""
    with open(path, "rb") as handle:
        start = handle.read(4)
        if start.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            return "utf-16"
        handle.seek(0)
        decoder = codecs.getincrementaldecoder("utf-8")()
        try:
            while block := handle.read(8 * 1024 * 1024):
                decoder.decode(block)
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            return None
    return "utf-8-sig"


def _chunks(path: Path, name: str, header_row: int | None, columns=None) -> Iterator[pd.DataFrame]:
    """The file's data rows in chunks, indexed by spreadsheet row, each with the layout in ``attrs``."""
    encoding = _encoding(path)
    with open(path, encoding=encoding, newline="") as handle:
        layout, delimiter, offset = csv_head(handle.read(400_000), name, header_row)
    with open(path, encoding=encoding, newline="") as handle:
        handle.read(offset)
        reader = pd.read_csv(handle, sep=delimiter, dtype=str, keep_default_na=False, header=None,
                             names=list(layout.columns), skip_blank_lines=False, engine="c", index_col=False,
                             chunksize=CHUNK_ROWS, usecols=columns)
        row = layout.data_start + 1
        try:
            for chunk in reader:
                chunk.index = pd.RangeIndex(row, row + len(chunk), name="row")
                row += len(chunk)
                chunk.attrs.update(layout=layout.name, questions=dict(layout.questions), delimiter=delimiter,
                                   excel=False, sheet=None)
                yield chunk
        except pd.errors.ParserError as error:
            raise parser_failure(error, name, delimiter, layout.data_start) from None


def _decide(path: Path, name: str, header_row, mapping: dict, first: pd.DataFrame, constants: dict,
            decimal: str | None) -> tuple[dict, str | None]:
    """The per-file decisions the first chunk leaves open, from one pass over the date and score columns."""
    constants = dict(constants)
    date_column, score_column = mapping.get("received_on"), mapping.get("score")
    score_text = f"{score_column or ''} {first.attrs.get('questions', {}).get(score_column, '')}".strip()
    need_scale = (score_column and not mapping.get("scale") and "scale" not in constants
                  and _scale_hint(score_text or None) is None)
    need_order = date_column and "date_order" not in constants
    # What the first chunk already shows holds for the file (later rows that contradict it are refused).
    if need_scale and _wide(first[score_column]):
        constants["scale"], need_scale = "nps", False
    if need_order:
        text = first[date_column].str.strip()
        text = text[~text.str.fullmatch(_ISO_FAST).fillna(True).astype(bool)]
        order, _ = decide_date_order(pd.Series(_date_part(text).unique(), dtype="str"))
        if text.empty or order:
            need_order = False
            if order:
                constants["date_order"] = order
    if decimal is None and not score_column:
        decimal = "."  # no number column to read
    if decimal is None and score_column:
        decimal, _ = decide_decimal([first[score_column].str.strip()], first.attrs.get("delimiter"))
    if not (need_scale or need_order or decimal is None):
        return constants, decimal
    columns = [c for c in (date_column, score_column) if c]
    dates: set[str] = set()
    scores: list[pd.Series] = []
    wide_scores = False
    for chunk in _chunks(path, name, header_row, columns=columns):
        if need_order:
            text = chunk[date_column].str.strip()
            text = text[~text.str.fullmatch(_ISO_FAST).fillna(True).astype(bool)]  # ISO dates decide nothing
            dates.update(_date_part(text).unique().tolist())
        if score_column:
            wide_scores = wide_scores or _wide(chunk[score_column])
            if decimal is None:
                odd = chunk[score_column][~chunk[score_column].str.fullmatch(r"\s*[-+]?\d+\s*").fillna(True)]
                scores.append(pd.Series(odd.unique(), dtype="str"))
    if need_order:
        order, _ = decide_date_order(pd.Series(sorted(dates), dtype="str"))
        if order:
            constants["date_order"] = order
    if need_scale and wide_scores:
        constants["scale"] = "nps"  # as for a whole file: any 0 or any score above 5 makes unlabelled scores NPS
    if decimal is None:
        decimal, _ = decide_decimal(scores, first.attrs.get("delimiter"))
    return constants, decimal


def _wide(scores: pd.Series) -> bool:
    """Any score of 0 or above 5: unlabelled scores are then NPS (the rule a whole file follows)."""
    values = pd.to_numeric(scores.str.extract(r"^\s*(\d+)", expand=False), errors="coerce")
    return bool(((values == 0) | (values > 5)).any())


def stream_import(db: store.Database, path, *, unit=None, mapping: Mapping | None = None,
                  constants: Mapping | None = None, source: str | None = None, create_units: bool = False,
                  decimal: str | None = None, header_row: int | None = None,
                  progress: Callable[[int, int], None] | None = None) -> ImportResult:
    """Import a VoC CSV chunk by chunk in one transaction; raise ImportFailed (nothing written) on any problem."""
    path = Path(path)
    name = path.name
    spec = get_kind("voc")
    chunks = _chunks(path, name, header_row)
    first = next(chunks, None)
    if first is None or first.empty:
        raise ImportFailed(name, [Problem(None, None, "the file has a header row but no data rows.")])
    constants = dict(constants or {})
    probe, _ = validate("voc", first, mapping, filename=name, constants=constants, unit=unit, decimal=decimal)
    fixed = {f.name: probe.attrs["mapping"].get(f.name) for f in spec.all_fields}
    constants, decimal = _decide(path, name, header_row, fixed, first, constants, decimal)
    survey_column = next((c for c in first.columns if c.casefold() in _SURVEY_ID_COLUMNS), None)
    scope = " ".join(source.split()).casefold() if source else source_name(name)
    skipped: dict[str, int] = {}
    hashes, rows = [], []
    units: set[str] = set()
    done = 0
    with imports.bulk_write(db):
        with write_transaction(db):
            batch_id = open_batch(db, None, spec, name)
            inserted = 0
            last_id = newest_id(db, spec)
            chunk: pd.DataFrame | None = first
            while chunk is not None:
                clean, problems = validate("voc", chunk, fixed, filename=name, constants=constants, unit=unit,
                                           decimal=decimal)
                if problems:
                    raise ImportFailed(name, problems)
                for reason, count in clean.attrs.get("skipped", {}).items():
                    skipped[reason] = skipped.get(reason, 0) + count
                names = clean["unit"].dropna().unique().tolist()
                if unit in (None, "") and not create_units and (new := unknown_units(db, names)):
                    raise ImportFailed(name, [Problem(None, fixed.get("unit") or "unit", (
                        f"these units are not known yet: {', '.join(new)}. Add --create-units to create them, or "
                        "put every row in one unit with --unit NAME"))])
                if survey_column is not None and not source:
                    survey = chunk[survey_column].astype("str").str.strip()
                    clean.attrs["survey_ids"] = survey.reindex(clean.index).where(lambda s: s != "").str.casefold()
                clean.attrs["source_given"] = bool(source)
                clean["source_key"] = source_keys(spec, clean, scope)
                keyed = clean["response_id"].notna()
                hashes.append(pd.util.hash_pandas_object(clean.loc[keyed, "source_key"], index=False).to_numpy())
                rows.append(clean.index[keyed.to_numpy()].to_numpy())
                written, names_written = _write_chunk(db, spec, clean, unit, batch_id)
                inserted += written
                units.update(names_written)
                done += len(clean)
                if progress:
                    progress(done, 0)
                chunk = next(chunks, None)
            _refuse_repeated_ids(name, hashes, rows)
            prepare_evidence(db, spec, last_id)
            close_batch(db, batch_id, spec, rows=done, inserted=inserted, units=sorted(units))
    return ImportResult(inserted, done - inserted, tuple(sorted(units)), tuple(skipped.items()),
                        mapping=tuple((k, v) for k, v in fixed.items() if v), batch_id=batch_id)


def _write_chunk(db, spec, clean: pd.DataFrame, unit, batch_id: int | None = None) -> tuple[int, set[str]]:
    """Insert one chunk (rows already there are left alone); the rows inserted and the units they went to."""
    ids: dict[str, int] = {}
    for unit_name in clean["unit"].dropna().unique().tolist():
        found = store.find_unit(db, unit if isinstance(unit, int) and unit_name == str(unit) else unit_name)
        ids[unit_name] = found["id"] if found else store.get_or_create_unit(db, unit_name)
    values = clean[["source_key", *spec.field_names]].assign(unit_id=clean["unit"].map(ids))
    values = values[["unit_id", "source_key", *spec.field_names]].assign(import_batch_id=batch_id)
    columns = list(values.columns)
    # Inserted rows take ids above the newest one; a row already there is DO NOTHING, so it is not counted.
    before = imports.newest_id(db, spec.table)
    for start in range(0, len(values), 5_000):
        batch = values.iloc[start:start + 5_000].astype(object)
        batch = batch.where(batch.notna(), None)
        insert_batch(db, spec, columns, batch.itertuples(index=False, name=None))
    inserted = imports.count_after(db, spec.table, before)
    return inserted, {name for i in ids.values() if (name := stored_units.unit_name(db, i)) is not None}  # all exist


def _refuse_repeated_ids(name: str, hashes: list, rows: list) -> None:
    """One id twice in the file, in different chunks (each chunk's own repeats are found by validation)."""
    if not hashes:
        return
    keys, where = np.concatenate(hashes), np.concatenate(rows)
    order = np.argsort(keys, kind="stable")
    repeated = np.nonzero(keys[order][1:] == keys[order][:-1])[0]
    if len(repeated):
        problems = [Problem(int(where[order][i + 1]), "response_id",
                            f"duplicate response_id: rows {int(where[order][i])} and {int(where[order][i + 1])}")
                    for i in repeated[:20]]
        raise ImportFailed(name, problems, total=len(repeated))
