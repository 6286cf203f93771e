"""The database, on either engine: connection, schema and migrations, the closed-meeting guard, one reader per table.

``meeting.store.meetings`` (meetings and their rosters) is imported as a submodule, not from here, so the
sections it needs can import this package without a cycle.
"""
from meeting.store.connection import (
                                      BUSY_TIMEOUT_MS,
                                      DEFAULT_DB_PATH,
                                      PROJECT_ROOT,
                                      Database,
                                      DatabaseBusy,
                                      IntegrityError,
                                      MeetingClosed,
                                      data_version,
                                      is_postgres,
                                      migrate_db,
                                      open_db,
                                      resolve_db_path,
                                      schema_version,
                                      write_transaction,
)
from meeting.store.schema import SECTION_KEYS, migrations
from meeting.store.units import find_unit, get_or_create_unit, list_units

__all__ = ["BUSY_TIMEOUT_MS", "Database", "DatabaseBusy", "IntegrityError", "DEFAULT_DB_PATH", "PROJECT_ROOT", "SECTION_KEYS", "MeetingClosed", "data_version",
           "find_unit", "is_postgres", "get_or_create_unit", "list_units", "migrate_db", "migrations", "open_db",
           "resolve_db_path", "schema_version", "write_transaction"]
