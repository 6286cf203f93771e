"""Every file the app writes (.docx and Markdown): minutes, pre-reads, follow-ups. One path for all:
XML-safe text, path or buffer, ``OUTSIDE_IN_EXPORTS`` honoured.

Names load their submodule on first use (``meeting.lazy_exports``): ``agenda --json`` imports this package
but writes no file, so it must not pay for python-docx.
"""
from meeting import lazy_exports

__getattr__, __dir__, __all__ = lazy_exports(__name__, globals(), {
    "common": "EXPORTS_SETTING FORMATS exports_dir output_path xml_safe",
    "minutes": "export_docx export_markdown export_minutes minutes_document render",
    "preread": "agenda_docx agenda_markdown export_preread operations_empty_state preread_file_name quote_meta "
               "render_preread",
})
