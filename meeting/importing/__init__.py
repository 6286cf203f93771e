"""Import a user's own CSV/XLSX exports: read the file, map its columns, validate every row, write all or none.

The flow is the same from the Import page and from ``python -m meeting import``:
``read_table`` -> ``suggest_mapping`` (the user may correct it) -> ``validate`` -> ``import_frame``.
Nothing is written unless every row is valid, and then everything is written in one transaction.

Row numbers in problems are the rows a spreadsheet shows: the header is row 1, the first data row is row 2.

reading (files and the tools' layouts) -> mapping (which column holds what) -> parsing (dates, numbers) ->
validating (rows against their kind) -> writing (one transaction); tickets turns service-desk rows into metrics.
"""
from meeting.importing.kinds import KINDS, SCALE_RANGES, UNIT_FIELD, Field, KindSpec, fields_table, get_kind, normalise_header
from meeting.importing.mapping import describe_mapping, resolve_mapping, suggest_mapping
from meeting.importing.parsing import DATE_ORDERS, parse_dates, parse_numbers, parse_periods
from meeting.importing.problems import (
    ImportFailed,
    ImportResult,
    Problem,
    ProblemGroup,
    describe_skipped,
    group_problems,
    problems_frame,
)
from meeting.importing.reading import read_table, sheet_names
from meeting.importing.validating import validate
from meeting.importing.writing import (
                                    ImportPlan,
                                    import_file,
                                    import_frame,
                                    parse_assignments,
                                    plan_import,
    recent_imports,
                                    source_keys,
                                    source_name,
    undo_import,
                                    unknown_units,
                                    write_plan,
                                    write_rejects,
)

__all__ = [
    "DATE_ORDERS", "KINDS", "SCALE_RANGES", "UNIT_FIELD", "Field", "ImportFailed", "ImportPlan", "ImportResult",
    "KindSpec", "Problem", "ProblemGroup", "group_problems", "describe_mapping", "describe_skipped", "fields_table", "get_kind", "import_file",
    "import_frame", "normalise_header", "parse_assignments", "parse_dates", "parse_numbers", "parse_periods",
    "plan_import", "problems_frame", "recent_imports", "read_table", "resolve_mapping", "sheet_names", "source_keys", "source_name",
    "suggest_mapping", "undo_import", "unknown_units", "validate", "write_plan", "write_rejects",
]
