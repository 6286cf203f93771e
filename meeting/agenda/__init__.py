"""The agenda: six sections in customer-first order, the items a GM edits, time boxes, the evidence model."""
from meeting.agenda.build import agenda_json, build_agenda, build_evidence
from meeting.agenda.items import (
                                  DEFAULT_ITEMS,
                                  FAR_AHEAD_DAYS,
                                  NewMeeting,
                                  add_item,
                                  create_meeting_with_agenda,
                                  delete_item,
                                  draft_agenda,
                                  list_items,
                                  move_item,
                                  new_meeting,
                                  new_meeting_warnings,
                                  section_minutes,
                                  set_total_minutes,
                                  update_item,
)

__all__ = ["DEFAULT_ITEMS", "FAR_AHEAD_DAYS", "NewMeeting", "add_item", "agenda_json", "build_agenda", "build_evidence", "create_meeting_with_agenda",
           "delete_item", "draft_agenda", "list_items", "move_item", "new_meeting", "new_meeting_warnings", "section_minutes", "set_total_minutes",
           "update_item"]
