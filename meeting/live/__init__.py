"""The live meeting: state (draft -> live -> closed), join codes, the section clock, contributions and
their moderation, and the room's join link."""
from meeting.live.contributions import (
                                        CLOSED_MESSAGE,
                                        INVALID_MESSAGE,
                                        MAX_CONTRIBUTION_CHARS,
                                        MAX_DISPLAY_NAME_CHARS,
                                        NOT_REACHED_MESSAGE,
                                        RATINGS,
                                        UNKNOWN_MESSAGE,
                                        AlreadyConverted,
                                        ContributionRefused,
                                        PaceError,
                                        SectionMoved,
                                        add_contribution,
                                        approve_contribution,
                                        contribute_by_code,
                                        contribution_to_entry,
                                        hide_contribution,
                                        join_view,
                                        list_contributions,
                                        my_contributions,
                                        participant_names,
                                        try_code,
                                        valid_device_token,
)
from meeting.live.room import base_url, is_local_only, join_link, qr_html, qr_png, qr_svg, reachable_base, room_contributions
from meeting.live.state import (
                                        CODE_ALPHABET,
                                        CODE_LENGTH,
                                        StaleSection,
                                        advance_section,
                                        capture_entry,
                                        close_meeting,
                                        find_live_meeting_by_code,
                                        format_code,
                                        format_elapsed,
                                        format_when,
                                        generate_code,
                                        normalise_code,
                                        previous_section,
                                        section_clock,
                                        set_room_settings,
                                        start_meeting,
                                        time_boxes,
                                        time_left_text,
                                        time_spent,
)
from meeting.sections import next_section_key, previous_section_key

__all__ = [
    "AlreadyConverted", "ContributionRefused", "CLOSED_MESSAGE", "CODE_ALPHABET", "CODE_LENGTH", "INVALID_MESSAGE",
    "MAX_CONTRIBUTION_CHARS", "MAX_DISPLAY_NAME_CHARS", "NOT_REACHED_MESSAGE", "PaceError", "SectionMoved", "RATINGS", "StaleSection",
    "UNKNOWN_MESSAGE", "add_contribution", "advance_section", "approve_contribution", "base_url",
    "capture_entry", "close_meeting", "contribute_by_code", "contribution_to_entry",
    "find_live_meeting_by_code", "format_code", "format_elapsed", "format_when", "generate_code", "hide_contribution",
    "join_link", "join_view", "list_contributions", "my_contributions", "next_section_key", "normalise_code",
    "participant_names", "previous_section", "previous_section_key", "qr_png", "qr_svg", "room_contributions", "section_clock",
    "set_room_settings", "start_meeting", "time_boxes", "time_left_text", "time_spent", "try_code",
    "valid_device_token", "is_local_only", "qr_html", "reachable_base"
]
