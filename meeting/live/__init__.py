"""The live meeting: state (draft -> live -> closed), join codes, the section clock, contributions and
their moderation, and the room's join link."""
from meeting.limiter import attempt_wait, new_attempts, record_failure, record_success
from meeting.live.contributions import (
                                        CLOSED_MESSAGE,
                                        INVALID_MESSAGE,
                                        MAX_CONTRIBUTION_CHARS,
                                        MAX_DISPLAY_NAME_CHARS,
                                        RATINGS,
                                        UNKNOWN_MESSAGE,
                                        add_contribution,
                                        contribute_by_code,
                                        contribution_to_entry,
                                        hide_contribution,
                                        join_view,
                                        list_contributions,
                                        my_contributions,
                                        participant_names,
                                        try_code,
)
from meeting.live.room import base_url, join_link, qr_png, qr_svg
from meeting.live.state import (
                                        CODE_ALPHABET,
                                        CODE_LENGTH,
                                        advance_section,
                                        close_meeting,
                                        find_live_meeting_by_code,
                                        format_code,
                                        format_elapsed,
                                        generate_code,
                                        normalise_code,
                                        section_clock,
                                        start_meeting,
                                        time_boxes,
)
from meeting.sections import next_section_key, previous_section_key

__all__ = ["CLOSED_MESSAGE", "CODE_ALPHABET", "CODE_LENGTH", "INVALID_MESSAGE", "MAX_CONTRIBUTION_CHARS",
           "MAX_DISPLAY_NAME_CHARS", "RATINGS", "UNKNOWN_MESSAGE", "add_contribution", "advance_section",
           "attempt_wait", "base_url", "close_meeting", "contribute_by_code", "contribution_to_entry",
           "find_live_meeting_by_code", "format_code", "format_elapsed", "generate_code", "hide_contribution",
           "join_link", "join_view", "list_contributions", "my_contributions", "new_attempts", "next_section_key",
           "normalise_code", "participant_names", "previous_section_key", "qr_png", "qr_svg", "record_failure",
           "record_success", "section_clock", "start_meeting", "time_boxes", "try_code"]
