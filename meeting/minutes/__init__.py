"""Minutes: entries captured per section (notes, decisions, actions), the anonymised model, the review.

Names load their submodule on first use (``meeting.lazy_exports``): the agenda reads open actions from
``entries`` without loading the anonymised model and its redactor.
"""
from meeting import lazy_exports

__getattr__, __dir__, __all__ = lazy_exports(__name__, globals(), {
    "entries": "ACTION_STATUSES ENTRY_KINDS NO_DUE_DATE NO_OWNER action_gaps add_entry delete_entry edit_entry "
               "list_entries open_actions_before set_action_status",
    "model": "attendance_counts attendance_text build_minutes file_stem is_export_of",
})
