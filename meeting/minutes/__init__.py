"""Minutes: entries captured per section (notes, decisions, actions), the anonymised model, the review."""
from meeting.minutes.entries import (
                                     ACTION_STATUSES,
                                     ENTRY_KINDS,
                                     NO_DUE_DATE,
                                     NO_OWNER,
                                     action_gaps,
                                     add_entry,
                                     delete_entry,
                                     edit_entry,
                                     list_entries,
                                     open_actions_before,
                                     set_action_status,
)
from meeting.minutes.model import attendance_counts, attendance_text, build_minutes, file_stem, is_export_of

__all__ = ["ACTION_STATUSES", "ENTRY_KINDS", "NO_DUE_DATE", "NO_OWNER", "action_gaps", "add_entry", "delete_entry",
           "edit_entry", "attendance_counts", "attendance_text", "build_minutes",
           "file_stem", "is_export_of", "list_entries", "open_actions_before", "set_action_status"]
