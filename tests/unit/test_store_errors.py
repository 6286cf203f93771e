"""One "database busy?" rule (issue 29): the engine's own class. A lock wait that gave up is ``DatabaseBusy``; any
other database failure is not, so ``except store.DatabaseBusy`` is the whole check."""
import sqlite3

import pytest

from meeting import store
from meeting.store import postgres


def is_busy(error: BaseException) -> bool:
    return isinstance(error, store.DatabaseBusy)


@pytest.mark.parametrize(("error", "busy"), [
    (store.DatabaseBusy("database is locked"), True),
    (postgres.PostgresBusy("database is locked (lock timeout)"), True),
    (sqlite3.OperationalError("no such table: meetings"), False),  # a mistake in the SQL: never retried
    (sqlite3.OperationalError("disk I/O error"), False),
    (sqlite3.IntegrityError("UNIQUE constraint failed: units.name"), False),
    (ValueError("database is locked"), False),  # not a database error, whatever its words
])
def test_busy_only_for_lock_waits(error, busy):
    assert is_busy(error) is busy


def test_a_real_sqlite_lock_wait_through_the_store_is_busy(tmp_path):
    path = tmp_path / "busy.db"
    store.open_db(path).close()
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    waiter = store.connection.SQLiteDatabase(path, busy_timeout_ms=0)
    try:
        with pytest.raises(sqlite3.OperationalError) as caught:
            waiter.execute("BEGIN IMMEDIATE")
        assert is_busy(caught.value)
        with pytest.raises(sqlite3.OperationalError) as mistake:
            waiter.execute("SELECT * FROM no_such_table")
        assert not is_busy(mistake.value)
    finally:
        holder.execute("ROLLBACK")
        holder.close()
        waiter.close()
