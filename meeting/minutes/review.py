"""The review step before export: every text that will go out, with what will be replaced in it."""
from __future__ import annotations

import html

from meeting import anonymise
from meeting.minutes.entries import list_entries
from meeting.minutes.model import visible_contributions
from meeting.store import Database
from meeting.store.meetings import get_meeting, list_participants


def review_entries(db: Database, meeting_id: int, *, attribute_by_group: bool = False,
                   extra_terms=()) -> list[dict]:
    """Every text that will go into the minutes, with what will be replaced: section, kind, text (as
    matched), spans [(start, end, replacement)] and the redacted result. For the review step."""
    participants = list_participants(db, meeting_id)
    # Letters as the export gives them: one redactor for the document, texts in the export's order.
    redactor = anonymise.build_redactor(participants, extra_terms, by_group=attribute_by_group, one_document=True)
    meeting = get_meeting(db, meeting_id)
    texts = [("title", "title", meeting["title"])]
    texts += [(e["section"], e["kind"], e["text"]) for e in list_entries(db, meeting_id)]
    texts += [(c["section"], "contribution", c["text"]) for c in visible_contributions(db, meeting_id)]
    rows = []
    for section, kind, text in texts:
        text = redactor.normalise(text)
        spans = redactor.find_spans(text)
        rows.append({"section": section, "kind": kind, "text": text, "spans": spans,
                     "redacted": anonymise.apply_spans(text, spans)})
    return rows


def highlight_html(text: str, spans: list[tuple[int, int, str]]) -> str:
    """``text`` as safe HTML with each span to be replaced in <mark>. Every piece of the text is escaped
    first; only our own tags are added around the escaped pieces."""
    out, last = [], 0
    for start, end, replacement in spans:
        out.append(html.escape(text[last:start]))
        out.append(f'<mark title="{html.escape(replacement, quote=True)}">{html.escape(text[start:end])}</mark>')
        last = end
    out.append(html.escape(text[last:]))
    return "<div>" + "".join(out).replace("\n", "<br>") + "</div>"
