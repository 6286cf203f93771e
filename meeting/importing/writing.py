"""Writing clean rows: all in one transaction or none; what makes two rows the same."""
from __future__ import annotations

import datetime as dt
import hashlib
import os
from pathlib import Path
from typing import Callable, Iterable, Mapping

import pandas as pd
import sqlite_utils

from meeting import store
from meeting.store import write_transaction
from meeting.importing.kinds import KindSpec, get_kind
from meeting.importing.problems import ImportFailed, ImportResult, Problem
from meeting.importing.reading import read_table
from meeting.importing.validating import validate, _joined

BATCH_SIZE = 5_000


def _target(db: sqlite_utils.Database, spec: KindSpec, unit, meeting_id, filename: str) -> int | None:
    """The meeting (for meeting kinds) after checking it exists; problems raise ImportFailed."""
    if spec.scope == "meeting":
        row = db.execute("SELECT status FROM meetings WHERE id = ?", [_as_int(meeting_id)]).fetchone()
        if row is None:
            raise ImportFailed(filename, [Problem(None, None, f"there is no meeting with id {meeting_id}.")])
        if spec.name == "minutes" and row[0] == "closed":
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


def _unit_ids(db: sqlite_utils.Database, names: pd.Series, unit) -> tuple[pd.Series, tuple[str, ...]]:
    ids: dict[str, int] = {}
    labels: dict[int, str] = {}
    for name in names.dropna().unique().tolist():
        if isinstance(unit, int) and name == str(unit):
            unit_id = unit
        else:
            found = store.find_unit(db, name)
            unit_id = found["id"] if found else store.get_or_create_unit(db, name)
        ids[name] = unit_id
        labels[unit_id] = db.execute("SELECT name FROM units WHERE id = ?", [unit_id]).fetchone()[0]
    return names.map(ids), tuple(sorted(set(labels.values())))


def source_keys(spec: KindSpec, clean: pd.DataFrame) -> pd.Series:
    """The key that makes a re-import skip rows already there.

    VoC uses the response id where there is one. Otherwise the key hashes the row's canonical values plus how
    many identical rows came before it in the file, so a re-import adds nothing while two identical responses
    in one file are both kept.
    """
    scope = clean["unit"].astype("str").fillna("") if "unit" in clean else pd.Series("", index=clean.index)
    if spec.unique and not spec.id_field:
        return pd.Series(_hashes(_joined(clean[list(spec.unique)], casefold=True)), index=clean.index, dtype="str")
    keys = clean[spec.id_field].copy() if spec.id_field else pd.Series(pd.NA, index=clean.index, dtype="str")
    unkeyed = keys.isna()
    if unkeyed.any():
        content = _joined(clean.loc[unkeyed, list(spec.field_names)])
        ordinal = content.groupby([scope[unkeyed].str.casefold().to_numpy(), content.to_numpy()]).cumcount()
        keys[unkeyed] = _hashes(content + "\x1e" + ordinal.astype("str"))
    return keys


def _hashes(content: pd.Series) -> list[str]:
    return ["h:" + hashlib.blake2b(text.encode("utf-8"), digest_size=16).hexdigest() for text in content.tolist()]


def _insert_sql(spec: KindSpec, columns: list[str]) -> str:
    owner = "unit_id" if spec.scope == "unit" else "meeting_id"
    conflict = [owner] + (["source_key"] if spec.source_key else list(spec.unique))
    if spec.update:
        # Participants keep what a sparser re-import leaves blank; measured values are simply replaced.
        keep = spec.name == "participants"
        sets = ", ".join(f"{c} = COALESCE(excluded.{c}, {spec.table}.{c})" if keep else f"{c} = excluded.{c}"
                         for c in spec.update)
        action = f"DO UPDATE SET {sets}"
    else:
        action = "DO NOTHING"
    return (f"INSERT INTO {spec.table} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))}) "
            f"ON CONFLICT ({', '.join(conflict)}) {action}")


def import_frame(db: sqlite_utils.Database, kind: str, frame: pd.DataFrame, *, filename: str,
                 unit: str | int | None = None, meeting_id: int | None = None,
                 mapping: Mapping[str, str | None] | None = None, constants: Mapping[str, object] | None = None,
                 progress: Callable[[int, int], None] | None = None) -> ImportResult:
    """Validate every row, then write them all in one transaction; raise ImportFailed and write nothing if any
    row is bad. ``unit`` is a unit's name (created if new) or id; ``progress(done, total)`` follows the write.
    """
    spec = get_kind(kind)
    clean, problems = validate(kind, frame, mapping, filename=filename, constants=constants, unit=unit,
                               meeting_id=meeting_id)
    if problems:
        raise ImportFailed(filename, problems)
    meeting = _target(db, spec, unit, meeting_id, filename)
    total = len(clean)
    if spec.source_key:
        clean["source_key"] = source_keys(spec, clean)
    columns = (["source_key"] if spec.source_key else []) + list(spec.field_names)
    values = clean[columns]
    if kind == "minutes":
        values = values.assign(created_at=dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"))
    if progress:
        progress(0, total)
    # A larger page cache for this write only: index inserts of 200k rows run ~25% faster.
    cache_size = db.execute("PRAGMA cache_size").fetchone()[0]
    db.execute("PRAGMA cache_size = -65536")
    try:
        return _write(db, spec, clean, values, unit, meeting, progress)
    finally:
        db.execute(f"PRAGMA cache_size = {int(cache_size)}")


def _write(db, spec: KindSpec, clean: pd.DataFrame, values: pd.DataFrame, unit, meeting, progress) -> ImportResult:
    total = len(clean)
    with write_transaction(db):
        if spec.scope == "unit":
            owner_ids, units = _unit_ids(db, clean["unit"], unit)
            values = values.assign(unit_id=owner_ids)
        else:
            units = ()
            values = values.assign(meeting_id=meeting)
        values = values[[values.columns[-1], *values.columns[:-1]]]
        sql = _insert_sql(spec, list(values.columns))
        count = f"SELECT COUNT(*) FROM {spec.table}"
        before = db.execute(count).fetchone()[0]
        for start in range(0, total, BATCH_SIZE):
            # Python objects one batch at a time: the whole file as tuples would double peak memory.
            batch = values.iloc[start:start + BATCH_SIZE].astype(object)
            batch = batch.where(batch.notna(), None)
            db.conn.executemany(sql, batch.itertuples(index=False, name=None))
            if progress:
                progress(min(start + BATCH_SIZE, total), total)
        inserted = db.execute(count).fetchone()[0] - before
    return ImportResult(inserted, total - inserted, units)


def import_file(db: sqlite_utils.Database, kind: str, path: str | os.PathLike, *, unit: str | int | None = None,
                meeting_id: int | None = None, mapping: Mapping[str, str | None] | None = None,
                constants: Mapping[str, object] | None = None,
                progress: Callable[[int, int], None] | None = None) -> ImportResult:
    """``read_table`` then ``import_frame``: the whole import of one file."""
    filename = Path(path).name
    frame = read_table(path, filename)
    return import_frame(db, kind, frame, filename=filename, unit=unit, meeting_id=meeting_id, mapping=mapping,
                        constants=constants, progress=progress)


def parse_assignments(pairs: Iterable[str] | None, option: str) -> dict[str, str | None]:
    """``["score=Likelihood to recommend (0-10)"]`` -> ``{"score": "Likelihood to recommend (0-10)"}``."""
    out: dict[str, str | None] = {}
    for pair in pairs or ():
        name, sep, value = pair.partition("=")
        if not sep or not name.strip():
            raise ImportFailed(option, [Problem(None, None, f"{pair!r} is not canonical=value")])
        out[name.strip()] = value.strip() or None
    return out
