"""One "database busy?" rule (issue 29): a lock wait that gave up is busy; any other database failure is not."""
import sqlite3

import pytest

from meeting.store.errors import is_busy


@pytest.mark.parametrize(("error", "busy"), [
    (sqlite3.OperationalError("database is locked"), True),
    (sqlite3.OperationalError("database table is locked: meetings"), True),
    (sqlite3.OperationalError("database is busy"), True),
    (sqlite3.OperationalError("no such table: meetings"), False),
    (sqlite3.OperationalError("disk I/O error"), False),
    (sqlite3.IntegrityError("UNIQUE constraint failed: units.name"), False),
    (ValueError("database is locked"), False),  # not a database error, whatever its words
])
def test_busy_only_for_lock_waits(error, busy):
    assert is_busy(error) is busy


def test_a_real_sqlite_lock_wait_is_busy(tmp_path):
    path = tmp_path / "busy.db"
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("CREATE TABLE t (x INTEGER)")
    holder.execute("BEGIN IMMEDIATE")
    waiter = sqlite3.connect(path, timeout=0, isolation_level=None)
    try:
        with pytest.raises(sqlite3.OperationalError) as caught:
            waiter.execute("BEGIN IMMEDIATE")
        assert is_busy(caught.value)
    finally:
        holder.execute("ROLLBACK")
        holder.close()
        waiter.close()


def test_the_postgres_adapters_busy_is_busy():
    postgres = pytest.importorskip("meeting.store.postgres")
    assert is_busy(postgres.PostgresBusy("database is locked (lock timeout)"))
