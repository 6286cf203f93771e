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
"""
from meeting.anonymise.folding import fold, sound_key, strip_accents
from meeting.anonymise.labels import (
                                      GROUP_ORDER,
                                      GROUPS,
                                      GUEST_NAME_LABEL,
                                      ORG_KINDS,
                                      PARTICIPANT,
                                      REDACTED,
                                      attribution_warnings,
                                      label_messages,
                                      localise_labels,
                                      parse_extra_terms,
)
from meeting.anonymise.patterns import (
                                      ACCOUNT_LABEL,
                                      EMAIL_LABEL,
                                      HONORIFICS,
                                      NAME,
                                      ORG_LABEL,
                                      PHONE_LABEL,
                                      apply_spans,
                                      mask_identifiers,
)
from meeting.anonymise.redactor import GUEST, Redactor, build_redactor, guest_display_name, redact_contribution
from meeting.anonymise.wordlists import first_names

__all__ = [
    "ACCOUNT_LABEL", "EMAIL_LABEL", "GROUPS", "GROUP_ORDER", "GUEST_NAME_LABEL", "HONORIFICS", "NAME",
    "ORG_KINDS", "ORG_LABEL", "PARTICIPANT", "PHONE_LABEL", "REDACTED", "Redactor", "apply_spans",
    "attribution_warnings", "label_messages", "localise_labels", "build_redactor", "first_names", "fold", "mask_identifiers", "parse_extra_terms",
    "sound_key", "strip_accents", "GUEST", "guest_display_name", "redact_contribution",
]
