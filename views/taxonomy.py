"""Taxonomy: the keyword rules and touchpoint list that route customers' and colleagues' words to sections."""
import streamlit as st

from meeting.evidence import taxonomy
from meeting.evidence.language import LANGUAGE_NAMES
from meeting.store import SECTION_KEYS
from views.page import flash, show_messages


def save(kind: str) -> None:
    edited = st.session_state[f"{kind}_editor_rows"]
    try:
        if kind == "themes":
            taxonomy.save_themes(edited)
        else:
            taxonomy.save_touchpoints(edited)
        flash(f"Saved {kind}. The agenda's evidence uses them from now on.", where=kind, kind="success")
    except ValueError as error:
        flash("Nothing was saved:\n\n" + str(error).replace("\n", "\n\n"), where=kind)


st.title("Taxonomy")
st.caption("A narrative or frontline input reaches a section through a theme it mentions or through its touchpoint. "
           "A theme has cues per language (English, French, German, Spanish, Dutch); each comment is read with those "
           "of the language it is written in, on word stems (\"waited\" carries \"wait\"), any case, accents optional. "
           "A cue of several words is a phrase; \"fällt ... aus\" allows words between; \"*\" marks a word's start "
           "or end. Cues and aliases are separated by ';'.")

section_column = st.column_config.SelectboxColumn("Section", options=list(SECTION_KEYS), required=True)
st.subheader("Themes")
themes = st.data_editor(taxonomy.theme_rows(taxonomy.load_themes()), num_rows="dynamic", width="stretch",
                        key="themes_editor", column_config={"section": section_column,
                                                            "theme": st.column_config.TextColumn("Theme", required=True),
                                                            "keywords": st.column_config.TextColumn("Cues (English)", width="large"),
                                                            **{f"keywords_{code}": st.column_config.TextColumn(f"Cues ({name})", width="medium")
                                                               for code, name in LANGUAGE_NAMES.items() if code != "en"}})
st.session_state["themes_editor_rows"] = themes
st.button("Save themes", key="save_themes", on_click=save, args=("themes",))
show_messages("themes")  # beside the button that saved (or refused) them

st.subheader("Touchpoints")
touchpoints = st.data_editor(taxonomy.touchpoint_rows(taxonomy.load_touchpoints()), num_rows="dynamic", width="stretch",
                             key="touchpoints_editor",
                             column_config={"section": section_column,
                                            "touchpoint": st.column_config.TextColumn("Touchpoint", required=True),
                                            "moment_of_truth": st.column_config.CheckboxColumn("Moment of truth"),
                                            "aliases": st.column_config.TextColumn("Aliases", width="large")})
st.session_state["touchpoints_editor_rows"] = touchpoints
st.button("Save touchpoints", key="save_touchpoints", on_click=save, args=("touchpoints",))
show_messages("touchpoints")
