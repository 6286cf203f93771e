"""Every file the app writes (.docx and Markdown): minutes, pre-reads, follow-ups. One path for all:
XML-safe text, path or buffer, ``OUTSIDE_IN_EXPORTS`` honoured."""
from meeting.render.common import EXPORTS_SETTING, FORMATS, exports_dir, output_path, xml_safe
from meeting.render.minutes import export_docx, export_markdown, export_minutes, minutes_document, render
from meeting.render.preread import (
                                    agenda_docx,
                                    agenda_markdown,
                                    export_preread,
                                    operations_empty_state,
                                    preread_file_name,
                                    quote_meta,
                                    render_preread,
)

__all__ = ["EXPORTS_SETTING", "FORMATS", "agenda_docx", "agenda_markdown", "export_docx", "export_markdown",
           "export_minutes", "export_preread", "exports_dir", "minutes_document", "operations_empty_state",
           "output_path", "preread_file_name", "quote_meta", "render", "render_preread", "xml_safe"]
