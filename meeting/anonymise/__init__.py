"""Chatham House Rule redaction: keep what was said, drop who said it and who they are.

Modules, in the order text flows through them:

- ``folding``: accents, case, hyphens and apostrophes folded (length kept), sound keys, the prefix tree.
- ``wordlists``: word lists and gazetteers from ``meeting/data/anonymise/``, word frequency (``wordfreq``),
  nicknames (``nicknames`` and ``meeting/data/anonymise/diminutives.csv``).
- ``patterns``: layer 1, identities by shape with no roster (``mask_identifiers``).
- ``variants``: every way people write a roster participant or organisation, derived.
- ``matching``: roster matches checked against their context and shaped into whole, readable spans.
- ``redactor``: layer 2, ``build_redactor(participants)`` for minutes and contributions.
- ``review``: what will be replaced and what may still identify someone (``python -m meeting review``).
- ``retention``: purging raw live contributions after the minutes are out (``python -m meeting purge``).

No model and no network. Why not Microsoft Presidio: its default ``AnalyzerEngine`` downloads a spaCy model
at run time and fails offline; the only spaCy English model on PyPI is a third-party re-upload we will not
depend on; without a model it is the same regex-and-deny-list idea as this package, slower, and it knows
nothing of the roster, which is what makes minutes safe. ``bench/anonymise_bench.py`` compares the two
when Presidio happens to be installed.

Names load their submodule on first use (``meeting.lazy_exports``): the retention purge or a label does not
load wordfreq and phonenumbers with the redactor.
"""
from meeting import lazy_exports

__getattr__, __dir__, __all__ = lazy_exports(__name__, globals(), {
    "folding": "fold sound_key strip_accents",
    "labels": "GROUP_ORDER GROUPS GUEST_NAME_LABEL ORG_KINDS PARTICIPANT REDACTED attribution_warnings label_messages localise_labels parse_extra_terms",
    "patterns": "ACCOUNT_LABEL EMAIL_LABEL HONORIFICS NAME ORG_LABEL PHONE_LABEL apply_spans mask_identifiers",
    "redactor": "GUEST Redactor build_redactor guest_display_name redact_contribution",
    "wordlists": "first_names",
})
