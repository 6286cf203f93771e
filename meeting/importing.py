"""Import a user's own CSV/XLSX exports: read the file, map its columns, validate every row, write all or none.

The flow is the same from the Import page and from ``python -m meeting import``:
``read_table`` -> ``suggest_mapping`` (the user may correct it) -> ``validate`` -> ``import_frame``.
Nothing is written unless every row is valid, and then everything is written in one transaction.

Row numbers in problems are the rows a spreadsheet shows: the header is row 1, the first data row is row 2.
"""
from __future__ import annotations

import codecs
import csv
import datetime as dt
import hashlib
import io
import os
import re
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Callable, Iterable, Mapping

import pandas as pd
import sqlite_utils

from meeting import accounts, store
from meeting.store import SECTION_KEYS, write_transaction

MAX_REPORTED = 20
BATCH_SIZE = 5_000
# Cells meaning "no value" in number and date columns; in text columns they are the customer's own words.
_BLANK_TOKENS = ("", "na", "n/a", "nan", "null", "none", "-", "--")


# --------------------------------------------------------------------------------------------- problems

@dataclass(frozen=True)
class Problem:
    row: int | None       # spreadsheet row (header = 1); None for the file or a whole column
    column: str | None    # the file's own column name where there is one, else the canonical name
    message: str

    def describe(self, filename: str) -> str:
        where = [filename]
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column is not None:
            where.append(f"column '{self.column}'")
        return f"{', '.join(where)}: {self.message}"


class ImportFailed(ValueError):
    """Bad input: nothing was imported. ``str()`` is the report for the user."""

    def __init__(self, filename: str, problems: Iterable[Problem], total: int | None = None):
        self.filename = filename
        self.problems = list(problems)
        self.total = len(self.problems) if total is None else total
        super().__init__(self.report())

    def report(self) -> str:
        count = f"{self.total} problem{'s' if self.total != 1 else ''}"
        lines = [f"Cannot import {self.filename}: {count}."]
        lines += [f"  {problem.describe(self.filename)}" for problem in self.problems[:MAX_REPORTED]]
        if self.total > MAX_REPORTED:
            rest = self.total - MAX_REPORTED
            lines.append(f"  ... and {rest} more problem{'s' if rest != 1 else ''}")
        lines.append("Nothing was imported.")
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.report()


def problems_frame(problems: Iterable[Problem], filename: str) -> pd.DataFrame:
    """Problems as a table (file, row, column, message) for the Import page."""
    rows = [{"file": filename, "row": p.row, "column": p.column or "", "message": p.message} for p in problems]
    frame = pd.DataFrame(rows, columns=["file", "row", "column", "message"])
    frame["row"] = frame["row"].astype("Int64")
    return frame


@dataclass(frozen=True)
class ImportResult:
    inserted: int
    duplicates: int  # rows already there (for metrics, finance, plans and participants: updated in place)
    units: tuple[str, ...] = field(default=(), compare=False)  # units the rows went to

    @property
    def total(self) -> int:
        return self.inserted + self.duplicates


# --------------------------------------------------------------------------------------------- kinds

@dataclass(frozen=True)
class Field:
    name: str
    type: str                      # text | label | date | period | number | score | enum | email
    required: bool = False
    choices: Mapping[str, str] | None = field(default=None, compare=False, hash=False)  # spelling -> value
    synonyms: tuple[str, ...] = ()  # header names that mean this field, best first
    keywords: tuple[str, ...] = ()  # words in a header that suggest it, strongest first; "satisf*" = prefix
    help: str = ""


@dataclass(frozen=True)
class KindSpec:
    name: str
    label: str
    table: str
    scope: str                     # "unit" or "meeting": what the rows belong to
    fields: tuple[Field, ...]
    unique: tuple[str, ...] = ()   # fields naming one row; () = the row's content is its identity
    update: tuple[str, ...] = ()   # columns a re-import replaces; () = a re-imported row is skipped
    source_key: bool = True        # the table keeps a source_key column
    id_field: str | None = None    # the source's own id, used as the source key where present
    example: str = ""

    @property
    def field_names(self) -> tuple[str, ...]:
        return tuple(f.name for f in self.fields)

    @property
    def required(self) -> tuple[str, ...]:
        return tuple(f.name for f in self.fields if f.required)

    def field(self, name: str) -> Field:
        return next(f for f in self.all_fields if f.name == name)

    @property
    def all_fields(self) -> tuple[Field, ...]:
        """The kind's fields plus the optional ``unit`` column of unit-level kinds."""
        return self.fields + ((UNIT_FIELD,) if self.scope == "unit" else ())


def normalise_header(text: object) -> str:
    """'RecordedDate' -> 'recorded date'; 'Likelihood to recommend (0-10)' -> 'likelihood to recommend 0 10'."""
    text = str(text)
    text = re.sub(r"([a-z0-9])([A-Z])", r"\1 \2", text)
    text = re.sub(r"([A-Z]+)([A-Z][a-z])", r"\1 \2", text)
    return " ".join(re.sub(r"[\W_]+", " ", text.casefold()).split())


def _choices(table: dict[str, tuple[str, ...]]) -> dict[str, str]:
    """{value: aliases} -> {normalised spelling: value}; each value also matches itself."""
    out = {}
    for value, aliases in table.items():
        for spelling in (value, *aliases):
            out[normalise_header(spelling)] = value
    return out


_DATE_WORDS = ("date", "timestamp", "time", "day", "recorded", "submitted", "received", "created", "completed")
_TOUCHPOINT = Field(
    "touchpoint", "label", synonyms=("touchpoint", "touch point", "journey stage", "journey step", "journey",
                                     "stage", "process", "interaction", "interaction type", "moment"),
    keywords=("touchpoint", "touch point", "journey", "stage", "process", "interaction"),
    help="the step of the customer journey, e.g. Installation",
)
UNIT_FIELD = Field(
    "unit", "label", synonyms=("unit", "business unit", "bu", "country", "country name", "operating unit"),
    help="optional: the business unit (country) of each row; units are created as needed",
)
SCALES = _choices({"nps": ("0-10", "0 to 10", "net promoter", "net promoter score", "ltr"),
                   "csat": ("1-5", "1 to 5", "satisfaction", "customer satisfaction")})

KINDS: dict[str, KindSpec] = {
    "voc": KindSpec(
        "voc", "Customer responses (VoC)", "voc_responses", "unit",
        (
            Field("response_id", "text", synonyms=("response id", "responseid", "id", "response", "respondent id",
                                                   "record id", "submission id", "response number", "ticket id",
                                                   "case id", "survey response id"),
                  keywords=("response id", "respondent", "submission id"),
                  help="the survey tool's id; used to skip rows already imported"),
            Field("received_on", "date", required=True,
                  synonyms=("received on", "recorded date", "date", "response date", "date submitted",
                            "submitted", "submitted at", "submission date", "end date", "completed", "completed at",
                            "created", "created at", "timestamp", "received", "survey date", "start date"),
                  keywords=_DATE_WORDS, help="date of the response"),
            Field("channel", "label", synonyms=("channel", "survey channel", "source", "distribution channel",
                                                "medium", "collector", "contact channel"),
                  keywords=("channel", "medium", "collector"), help="e.g. email, SMS, phone, web"),
            replace(_TOUCHPOINT, required=True),
            Field("segment", "label", synonyms=("segment", "customer segment", "customer type", "tier",
                                                "customer tier", "market segment", "plan"),
                  keywords=("segment", "tier"), help="e.g. Residential, SMB, Enterprise"),
            Field("customer_ref", "text", synonyms=("customer ref", "customer reference", "customer", "account",
                                                    "account number", "account id", "customer id", "customer number",
                                                    "client", "client id", "account no", "contact id"),
                  keywords=("account", "customer id", "customer ref", "customer number", "client"),
                  help="the customer's account or reference"),
            Field("score", "score", synonyms=("score", "nps", "csat", "rating", "likelihood to recommend",
                                              "how likely are you to recommend us", "recommend", "nps score",
                                              "csat score", "satisfaction", "satisfaction score", "ltr"),
                  keywords=("recommend", "nps", "csat", "satisf*", "likelihood", "likely", "rating", "score"),
                  help="NPS 0-10 or CSAT 1-5"),
            Field("scale", "enum", choices=SCALES, synonyms=("scale", "score type", "survey type", "metric type"),
                  keywords=("scale",),
                  help="nps or csat; inferred from the scores or the score's header when absent"),
            Field("narrative", "text", synonyms=("narrative", "comment", "comments", "verbatim", "tell us why",
                                                 "why", "feedback", "reason", "open text", "free text",
                                                 "response text", "text", "customer comment", "remarks"),
                  keywords=("why", "verbatim", "comment*", "tell us", "reason", "feedback", "explain", "describe",
                            "open text", "free text", "text"),
                  help="the customer's own words"),
        ),
        unique=("response_id",),
        id_field="response_id",
        example=("response_id,received_on,channel,touchpoint,segment,customer_ref,score,scale,narrative\n"
                 "R-1001,2026-05-03,email,Installation,Residential,ACC-4411,3,nps,\"Engineer never came, "
                 "took a day off for nothing\"\n"
                 "R-1002,2026-05-04,sms,Billing,SMB,ACC-9001,4,csat,Bill was clear this month\n"),
    ),
    "staff": KindSpec(
        "staff", "Frontline staff inputs", "staff_inputs", "unit",
        (
            Field("submitted_on", "date", required=True,
                  synonyms=("submitted on", "date submitted", "submitted", "date", "submission date", "created",
                            "created at", "timestamp", "recorded date"),
                  keywords=_DATE_WORDS, help="date of the input"),
            Field("team", "label", synonyms=("team", "department", "dept", "function", "group", "squad", "area"),
                  keywords=("team", "department", "dept"), help="e.g. Field engineers"),
            Field("role", "label", synonyms=("role", "job title", "job role", "position", "title", "job"),
                  keywords=("role", "job", "position"), help="e.g. Installer"),
            _TOUCHPOINT,
            Field("kind", "enum", required=True,
                  choices=_choices({"challenge": ("challenges", "problem", "issue", "blocker", "pain point",
                                                  "concern"),
                                    "idea": ("ideas", "suggestion", "proposal", "improvement"),
                                    "praise": ("kudos", "compliment", "recognition", "thanks", "shout out")}),
                  synonyms=("kind", "type", "category", "input type", "feedback type", "classification"),
                  keywords=("type", "category", "kind"), help="challenge, idea or praise"),
            Field("text", "text", required=True,
                  synonyms=("text", "comment", "comments", "idea", "suggestion", "description", "details",
                            "message", "feedback", "what happened", "verbatim", "input"),
                  keywords=("comment*", "description", "detail*", "message", "feedback", "text", "suggest*"),
                  help="what the colleague said"),
            Field("engagement", "number", synonyms=("engagement", "engagement score", "enps", "morale",
                                                    "wellbeing", "happiness"),
                  keywords=("engagement", "enps", "morale"), help="optional engagement score"),
        ),
        example=("submitted_on,team,role,touchpoint,kind,text,engagement\n"
                 "2026-05-02,Field engineers,Installer,Installation,challenge,Parts arrive the day after the "
                 "visit,6\n"
                 "2026-05-06,Contact centre,Agent,Billing,idea,Let us refund small errors on the call,8\n"),
    ),
    "metrics": KindSpec(
        "metrics", "SLA / KPI metrics", "metrics", "unit",
        (
            Field("period", "period", required=True,
                  synonyms=("period", "month", "reporting period", "reporting month", "year month", "date"),
                  keywords=("period", "month"), help="the month, YYYY-MM"),
            Field("touchpoint", "label", required=True, synonyms=_TOUCHPOINT.synonyms,
                  keywords=_TOUCHPOINT.keywords, help=_TOUCHPOINT.help),
            Field("name", "label", required=True,
                  synonyms=("name", "metric", "kpi", "measure", "indicator", "sla", "metric name", "kpi name",
                            "measure name"),
                  keywords=("metric", "kpi", "measure", "indicator", "sla"), help="e.g. First-time fix rate"),
            Field("target", "number", required=True, synonyms=("target", "goal", "sla target", "objective",
                                                               "threshold"),
                  keywords=("target", "goal"), help="number; % signs are ignored"),
            Field("actual", "number", required=True, synonyms=("actual", "actuals", "value", "result",
                                                               "achieved", "measured", "score"),
                  keywords=("actual", "value", "result"), help="number; % signs are ignored"),
            Field("direction", "enum", required=True,
                  choices=_choices({"higher": ("higher is better", "high", "up", "increase", "max", "maximise",
                                               "maximize"),
                                    "lower": ("lower is better", "low", "down", "decrease", "min", "minimise",
                                              "minimize")}),
                  synonyms=("direction", "better", "polarity", "good direction", "better when"),
                  keywords=("direction", "better", "polarity"), help="higher or lower (which is better)"),
        ),
        unique=("period", "touchpoint", "name"),
        update=("target", "actual", "direction"),
        source_key=False,
        example=("period,touchpoint,name,target,actual,direction\n"
                 "2026-05,Installation,Installed on the promised day (%),95,97.2,higher\n"
                 "2026-05,Urgent fault,Hours to repair,4,6.5,lower\n"),
    ),
    "plans": KindSpec(
        "plans", "Marketing programmes and sales targets", "plans", "unit",
        (
            Field("section", "enum", required=True,
                  choices=_choices({"marketing": ("marketing programme", "marketing program", "programme",
                                                  "program", "campaign"),
                                    "sales": ("sales target", "target", "sales plan")}),
                  synonyms=("section", "type", "plan type", "kind", "category", "area"),
                  keywords=("section", "type"), help="marketing or sales"),
            Field("title", "text", required=True,
                  synonyms=("title", "name", "programme", "program", "campaign", "initiative", "plan"),
                  keywords=("title", "name", "campaign", "programme", "program", "initiative"),
                  help="e.g. Spring fibre upgrade campaign"),
            Field("segment", "label", synonyms=("segment", "target segment", "audience", "target audience",
                                                "customer segment"),
                  keywords=("segment", "audience"), help="the customers it targets"),
            Field("starts_on", "date", synonyms=("starts on", "start", "start date", "launch", "launch date",
                                                 "date", "from"),
                  keywords=("start*", "launch*", "date"), help="date, YYYY-MM-DD"),
            Field("detail", "text", synonyms=("detail", "details", "description", "notes", "summary",
                                              "objective"),
                  keywords=("detail*", "description", "note*", "summary"), help="free text"),
        ),
        unique=("section", "title", "starts_on"),
        update=("segment", "detail"),
        example=("section,title,segment,starts_on,detail\n"
                 "marketing,Spring fibre upgrade campaign,Residential,2026-06-01,Email and door-drop to copper "
                 "customers\n"
                 "sales,Grow SMB broadband 15%,SMB,2026-07-01,Two new partner resellers\n"),
    ),
    "finance": KindSpec(
        "finance", "Finance lines", "finance", "unit",
        (
            Field("period", "period", required=True,
                  synonyms=("period", "month", "reporting period", "reporting month", "year month", "date"),
                  keywords=("period", "month"), help="the month, YYYY-MM"),
            Field("line", "label", required=True,
                  synonyms=("line", "line item", "item", "account", "gl account", "cost centre", "cost center",
                            "category", "description", "name"),
                  keywords=("line", "item", "account", "category"), help="e.g. Revenue, Field costs"),
            Field("actual", "number", required=True, synonyms=("actual", "actuals", "spend", "amount", "value"),
                  keywords=("actual",), help="number"),
            Field("budget", "number", required=True, synonyms=("budget", "plan", "planned", "budgeted", "forecast",
                                                               "target"),
                  keywords=("budget", "plan*", "forecast"), help="number"),
        ),
        unique=("period", "line"),
        update=("actual", "budget"),
        source_key=False,
        example=("period,line,actual,budget\n"
                 "2026-05,Revenue,1250000,1300000\n"
                 "2026-05,Credits and refunds,42000,25000\n"),
    ),
    "participants": KindSpec(
        "participants", "Meeting participants", "participants", "meeting",
        (
            Field("name", "label", required=True,
                  synonyms=("name", "full name", "participant", "attendee", "contact", "person", "display name",
                            "participant name", "attendee name"),
                  keywords=("name", "participant", "attendee"), help="as it should appear in the minutes"),
            Field("organisation", "text", synonyms=("organisation", "organization", "company", "org", "employer",
                                                    "company name", "customer", "account"),
                  keywords=("organi*", "company", "employer"), help="e.g. the invited customer's company"),
            Field("role", "text", synonyms=("role", "job title", "title", "position", "job role"),
                  keywords=("role", "job", "position", "title"), help="role title"),
            Field("kind", "enum", required=True,
                  choices=_choices({"leader": ("leadership", "leadership team", "gm", "manager", "executive",
                                               "exec"),
                                    "customer": ("client", "invited customer"),
                                    "frontline": ("front line", "staff", "employee", "colleague"),
                                    "guest": ("visitor", "observer", "other")}),
                  synonyms=("kind", "type", "category", "participant type", "attendee type", "group"),
                  keywords=("type", "kind", "category", "group"), help="leader, customer, frontline or guest"),
            Field("email", "email", synonyms=("email", "e mail", "email address", "e mail address", "mail"),
                  keywords=("mail",), help="optional"),
            Field("phone", "text", synonyms=("phone", "telephone", "tel", "mobile", "phone number", "cell",
                                             "mobile number", "telephone number"),
                  keywords=("phone", "tel", "mobile", "cell"), help="optional"),
        ),
        unique=("name",),
        update=("organisation", "role", "kind", "email", "phone"),
        source_key=False,
        example=("name,organisation,role,kind,email,phone\n"
                 "Aoife Byrne,Byrne Dental,Practice owner,customer,aoife@example.com,+353 1 555 0100\n"
                 "Tom Walsh,Outside In Ltd,General manager,leader,tom@example.com,\n"),
    ),
    "minutes": KindSpec(
        "minutes", "Minutes entries", "minutes_entries", "meeting",
        (
            Field("section", "enum", required=True,
                  choices=_choices({key: (key.rstrip("s"), key + "s") for key in SECTION_KEYS}
                                   | {"operations": ("operation", "ops"), "employees": ("employee", "staff")}),
                  synonyms=("section", "agenda section", "topic", "area", "agenda item"),
                  keywords=("section", "topic"), help="customer, employees, operations, marketing, sales or finance"),
            Field("kind", "enum", required=True,
                  choices=_choices({"note": ("notes",), "decision": ("decisions", "decided"),
                                    "action": ("actions", "action item", "todo", "to do")}),
                  synonyms=("kind", "type", "entry type", "category"), keywords=("type", "kind"),
                  help="note, decision or action"),
            Field("text", "text", required=True,
                  synonyms=("text", "note", "notes", "minute", "entry", "description", "content", "details"),
                  keywords=("text", "note*", "description", "content", "detail*"), help="what was said or agreed"),
            Field("speaker", "label", synonyms=("speaker", "said by", "raised by", "who", "author", "by"),
                  keywords=("speaker", "said", "raised"), help="a participant's name"),
            Field("owner", "label", synonyms=("owner", "assignee", "assigned to", "responsible", "action owner"),
                  keywords=("owner", "assign*", "responsible"), help="for actions: who does it"),
            Field("due_on", "date", synonyms=("due on", "due", "due date", "deadline", "by when", "target date"),
                  keywords=("due", "deadline"), help="for actions: YYYY-MM-DD"),
        ),
        example=("section,kind,text,speaker,owner,due_on\n"
                 "customer,decision,Call every detractor from the installation survey within 48 hours,"
                 "Tom Walsh,,\n"
                 "operations,action,Stock the top 20 parts on every van,Tom Walsh,Ravi Patel,2026-06-30\n"),
    ),
}


def get_kind(kind: str) -> KindSpec:
    try:
        return KINDS[kind]
    except KeyError:
        raise ValueError(f"Unknown kind {kind!r}; expected one of {', '.join(KINDS)}") from None


def fields_table(kind: str) -> pd.DataFrame:
    """The canonical columns of a kind, for the Import page's help."""
    spec = get_kind(kind)
    return pd.DataFrame([
        {"column": f.name, "required": "yes" if f.required else "",
         "values": ", ".join(dict.fromkeys(f.choices.values())) if f.choices else f.type, "meaning": f.help}
        for f in spec.all_fields
    ])


# --------------------------------------------------------------------------------------------- reading

def read_table(source, filename: str) -> pd.DataFrame:
    """A CSV (comma, semicolon or tab, sniffed) or XLSX file as text columns, one row per data row.

    Encoding: UTF-8 (with or without a BOM), or UTF-16 with a BOM (Excel's "Unicode text"). Anything else is
    refused with the row and column of the first unreadable byte rather than guessed, because a wrong guess
    silently garbles the customers' words.
    """
    name = filename or getattr(source, "name", None) or "the file"
    data = _read_bytes(source, name)
    if not data.strip() or data.strip() in (codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE):
        raise ImportFailed(name, [Problem(None, None, "the file is empty.")])
    if data[:4] == b"PK\x03\x04" or name.lower().endswith((".xlsx", ".xlsm")):
        frame = _read_xlsx(data, name)
    elif data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" or name.lower().endswith(".xls"):
        raise ImportFailed(name, [Problem(None, None, "old Excel .xls files are not supported: save it as .xlsx "
                                                      "or CSV UTF-8 and import that.")])
    else:
        frame = _read_csv(data, name)
    frame.columns = [str(c).strip() for c in frame.columns]
    # A trailing delimiter on every line makes an unnamed, empty last column: not the user's data.
    empty_unnamed = [c for c in frame.columns if c.startswith("Unnamed: ") and _blank(frame[c]).all()]
    frame = frame.drop(columns=empty_unnamed)
    _blank_qualtrics_preamble(frame)
    if frame.empty or _blank(frame).all(axis=None):
        raise ImportFailed(name, [Problem(None, None, "the file has a header row but no data rows.")])
    return frame


def _read_bytes(source, name: str) -> bytes:
    if isinstance(source, (bytes, bytearray, memoryview)):
        return bytes(source)
    if isinstance(source, (str, os.PathLike)):
        try:
            return Path(source).read_bytes()
        except OSError as error:
            raise ImportFailed(name, [Problem(None, None, f"cannot be read: {error.strerror or error}.")]) from None
    if hasattr(source, "getvalue"):
        return source.getvalue()
    if hasattr(source, "read"):
        data = source.read()
        return data.encode("utf-8") if isinstance(data, str) else data
    raise TypeError(f"Cannot read a table from {type(source).__name__}")


def _read_xlsx(data: bytes, name: str) -> pd.DataFrame:
    try:
        frame = pd.read_excel(io.BytesIO(data), sheet_name=0, dtype=object, engine="openpyxl")
    except Exception as error:  # openpyxl raises many types for a damaged or mislabelled file
        raise ImportFailed(name, [Problem(None, None, f"cannot be read as an Excel workbook ({error}).")]) from None
    return frame.apply(_as_text)


def _decode(data: bytes, name: str) -> str:
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ImportFailed(name, [_encoding_problem(data, error.start)]) from None


def _encoding_problem(data: bytes, position: int) -> Problem:
    line = data.count(b"\n", 0, position) + 1
    line_start = data.rfind(b"\n", 0, position) + 1
    header = data.split(b"\n", 1)[0].decode("utf-8", errors="replace").lstrip("\ufeff").rstrip("\r")
    delimiter = _sniff_delimiter(header)
    before = data[line_start:position].decode("utf-8", errors="replace")
    column = None
    try:
        index = len(next(csv.reader([before], delimiter=delimiter))) - 1 if before else 0
        names = next(csv.reader([header], delimiter=delimiter))
        column = names[index].strip() if index < len(names) else None
    except (csv.Error, StopIteration):
        pass
    field_start = max(data.rfind(delimiter.encode(), line_start, position) + 1, line_start)
    ends = [i for i in (data.find(delimiter.encode(), position), data.find(b"\n", position)) if i != -1]
    guess = data[field_start:min(ends) if ends else None][:60].decode("cp1252", errors="replace").strip()
    return Problem(line, column, f"the file is not UTF-8 text (byte 0x{data[position]:02X} near {guess!r}; it "
                                 "looks like a Windows or Latin-1 export). Re-save it as \"CSV UTF-8\" (Excel: "
                                 "File > Save As > CSV UTF-8) and import it again.")


def _sniff_delimiter(header: str) -> str:
    """The separator the header line uses most, outside quotes: comma, semicolon or tab."""
    unquoted = re.sub(r'"[^"]*"', "", header)
    counts = {d: unquoted.count(d) for d in (",", ";", "\t")}
    best = max(counts, key=counts.get)
    return best if counts[best] else ","


def _read_csv(data: bytes, name: str) -> pd.DataFrame:
    text = _decode(data, name)
    header = text.lstrip("\ufeff\r\n").split("\n", 1)[0]
    delimiter = _sniff_delimiter(header)
    try:
        frame = pd.read_csv(io.StringIO(text), sep=delimiter, dtype=str, keep_default_na=False,
                            skip_blank_lines=False, engine="c")
    except pd.errors.EmptyDataError:
        raise ImportFailed(name, [Problem(None, None, "the file is empty.")]) from None
    except pd.errors.ParserError as error:
        found = re.search(r"Expected (\d+) fields in line (\d+), saw (\d+)", str(error))
        if not found:
            raise ImportFailed(name, [Problem(None, None, f"cannot be read as CSV ({error}).")]) from None
        expected, line, saw = (int(g) for g in found.groups())
        shown = {",": "comma", ";": "semicolon", "\t": "tab"}[delimiter]
        raise ImportFailed(name, [Problem(line, None, (
            f"this row has {saw} fields but the header has {expected}: is there an unquoted {shown} inside a "
            "value? Put such values in double quotes."))]) from None
    if len(frame.columns) == 1:
        other = next((d for d in ("|", "^", "~", ":") if d in header), None)
        if other:
            raise ImportFailed(name, [Problem(1, None, (
                f"the whole header is one column ({header.strip()[:60]!r}): the file seems to separate columns "
                f"with {other!r}. Only commas, semicolons and tabs are understood: re-save it as CSV."))])
    return frame


def _blank_qualtrics_preamble(frame: pd.DataFrame) -> None:
    """Qualtrics puts the question texts and an ImportId row under the header: blank them, keep row numbers."""
    if len(frame) >= 2:
        third = frame.iloc[1].astype(str)
        if third.str.startswith('{"ImportId"').mean() > 0.5:
            frame.iloc[0:2] = ""


def _as_text(column: pd.Series) -> pd.Series:
    """Any column as text with missing values kept missing: whole floats without '.0', dates as ISO."""
    if pd.api.types.is_datetime64_any_dtype(column):
        text = column.dt.strftime("%Y-%m-%d %H:%M:%S").str.replace(" 00:00:00", "", regex=False)
        return text.astype("str")
    if pd.api.types.is_float_dtype(column):
        whole = column.notna() & (column % 1 == 0) & (column.abs() < 1e15)
        text = column.astype("str")
        text[whole] = column[whole].astype("int64").astype("str")
        return text
    if column.dtype == object:
        def one(value):
            if value is None or (isinstance(value, float) and value != value):
                return None
            if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
                return str(int(value))
            if isinstance(value, dt.datetime):
                return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
            if isinstance(value, (dt.date, pd.Timestamp)):
                return value.isoformat()
            return str(value)
        return column.map(one).astype("str")
    return column.astype("str")


def _blank(values):
    """True where a cell (Series or DataFrame) is missing or only whitespace."""
    if isinstance(values, pd.DataFrame):
        return values.apply(_blank)
    text = values.astype("str")
    return text.isna() | (text.str.strip() == "")


# --------------------------------------------------------------------------------------------- mapping

def _keyword_pattern(keyword: str) -> re.Pattern:
    word = normalise_header(keyword.rstrip("*"))
    tail = "" if keyword.endswith("*") else r"\b"
    return re.compile(r"\b" + re.escape(word) + tail)


def _match_score(spec_field: Field, header: str) -> float:
    if header == normalise_header(spec_field.name):
        return 100.0
    synonyms = [normalise_header(s) for s in spec_field.synonyms]
    if header in synonyms:
        return 90.0 - synonyms.index(header) * 0.1
    for rank, keyword in enumerate(spec_field.keywords):
        if _keyword_pattern(keyword).search(header):
            # Stronger keywords first; among equals, a shorter header is the more specific one.
            return 70.0 - rank * 2 - min(len(header), 80) * 0.01
    return 0.0


def suggest_mapping(kind: str, headers: list[str]) -> dict[str, str | None]:
    """For each canonical column of ``kind``, the file's column that most likely holds it (or None).

    Exact names first, then known synonyms (``RecordedDate``, ``Tell us why``...), then keywords; each file
    column is used at most once.
    """
    spec = get_kind(kind)
    fields = spec.all_fields
    candidates = []
    for field_rank, spec_field in enumerate(fields):
        for header_rank, header in enumerate(headers):
            score = _match_score(spec_field, normalise_header(header))
            if score > 0:
                candidates.append((-score, field_rank, header_rank, spec_field.name, header))
    mapping: dict[str, str | None] = {f.name: None for f in fields}
    used: set[str] = set()
    for _, _, _, canonical, header in sorted(candidates):
        if mapping[canonical] is None and header not in used:
            mapping[canonical] = header
            used.add(header)
    return mapping


def resolve_mapping(kind: str, headers: list[str], mapping: Mapping[str, str | None] | None) -> dict:
    """The user's mapping, with suggestions for the canonical columns it does not mention.

    A canonical column given as None (or "") stays unmapped; one left out gets the suggestion, unless the
    suggested file column is already used.
    """
    spec = get_kind(kind)
    given = {k: (v or None) for k, v in (mapping or {}).items()}
    taken = {v for v in given.values() if v}
    remaining = [h for h in headers if h not in taken]
    suggested = suggest_mapping(kind, remaining)
    known = [f.name for f in spec.all_fields]
    return {name: given[name] if name in given else suggested[name] for name in known} | {
        k: v for k, v in given.items() if k not in known}


# --------------------------------------------------------------------------------------------- parsing

_ISO_DATE = re.compile(
    r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})"
    r"(?:[T ]+\d{1,2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?(?:\s*[AaPp][Mm])?\s*(?:Z|[+-]\d{2}:?\d{2}|UTC|GMT)?)?$")
_ISO_FAST = (r"[0-9]{4}-[0-9]{2}-[0-9]{2}(?:[T ][0-9]{2}:[0-9]{2}(?::[0-9]{2}(?:[.,][0-9]+)?)?"
             r"(?:Z|[+-][0-9]{2}:?[0-9]{2}| ?UTC| ?GMT)?)?")
_NUMERIC_DATE = re.compile(
    r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})"
    r"(?:[T ,]+\d{1,2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?(?:\s*[AaPp][Mm])?\s*(?:Z|[+-]\d{2}:?\d{2}|UTC|GMT)?)?$")
_NAMED_DATE_FORMATS = ("%d %b %Y", "%d %B %Y", "%b %d %Y", "%B %d %Y", "%d-%b-%Y", "%d-%b-%y")
DATE_ORDERS = {"dmy": "dmy", "d m y": "dmy", "day first": "dmy", "mdy": "mdy", "m d y": "mdy",
               "month first": "mdy"}


def _ymd(year, month, day) -> pd.Series:
    parts = pd.DataFrame({"year": pd.to_numeric(year), "month": pd.to_numeric(month),
                          "day": pd.to_numeric(day)})
    return pd.to_datetime(parts, errors="coerce")


def parse_dates(text: pd.Series, order: str | None = None) -> tuple[pd.Series, pd.Series, tuple | None]:
    """ISO text for each date (NA when missing or bad), a mask of bad cells, and a column-level complaint
    (the first ambiguous row's label, message) reported once instead of once per row.

    Accepts ISO dates and datetimes (``2026-10-03 14:22:05``, ``2026-10-03T14:22:05Z``), named months
    (``3 Oct 2026``), and day/month/year numbers (``03/10/2026``) when the column shows which comes first (some
    day above 12) or ``order`` ("dmy" / "mdy") says so.
    """
    present = text.notna()
    result = pd.Series(pd.NaT, index=text.index, dtype="datetime64[ns]")
    # Fast path (RE2 inside pyarrow, no Python per row) for the usual zero-padded ISO dates and datetimes.
    fast = text.str.fullmatch(_ISO_FAST).fillna(False).astype(bool)
    if fast.any():
        result[fast] = pd.to_datetime(text[fast].str.slice(0, 10), format="%Y-%m-%d", errors="coerce")
    complaint = None
    rest = present & ~fast
    if rest.any():
        iso = text[rest].str.extract(_ISO_DATE).dropna()
        if not iso.empty:
            result[iso.index] = _ymd(iso[0], iso[1], iso[2])
        rest = present & ~fast & result.isna()
    if rest.any():
        numeric = text[rest].str.extract(_NUMERIC_DATE).dropna()
        if not numeric.empty:
            first, second = pd.to_numeric(numeric[0]), pd.to_numeric(numeric[1])
            if order is None:
                if (first > 12).any() and not (second > 12).any():
                    order = "dmy"
                elif (second > 12).any() and not (first > 12).any():
                    order = "mdy"
                elif (first == second).all():
                    order = "dmy"
            if order is None:
                sample = numeric.index[0]
                complaint = (sample, f"dates such as {text[sample]!r} could be day/month/year or month/day/year: "
                                     "convert them to YYYY-MM-DD, or say which with --set date_order=dmy (or mdy)")
            else:
                day, month = (first, second) if order == "dmy" else (second, first)
                result[numeric.index] = _ymd(numeric[2], month, day)
        rest = present & result.isna()
        if rest.any():
            cleaned = text[rest].str.replace(",", " ", regex=False).str.split().str.join(" ")
            for fmt in _NAMED_DATE_FORMATS:
                parsed = pd.to_datetime(cleaned, format=fmt, errors="coerce")
                hit = parsed.notna() & result[cleaned.index].isna()
                result[hit[hit].index] = parsed[hit]
    bad = present & result.isna()
    if complaint:
        numeric_bad = bad & text.str.match(_NUMERIC_DATE).fillna(False).astype(bool)
        bad = bad & ~numeric_bad  # reported once for the column, not once per row
    iso_text = result.dt.strftime("%Y-%m-%d").astype("str")
    return iso_text, bad, complaint


def parse_periods(text: pd.Series) -> tuple[pd.Series, pd.Series]:
    """YYYY-MM for each month (``2026-10``, ``2026-10-01``, ``10/2026``, ``Oct 2026``, ``Oct-26``)."""
    present = text.notna()
    year = pd.Series(pd.NA, index=text.index, dtype="Int64")
    month = pd.Series(pd.NA, index=text.index, dtype="Int64")
    first = text[present].str.extract(r"^(\d{4})[-/.](\d{1,2})(?:[-/.]\d{1,2}(?:[T ].*)?)?$").dropna()
    year[first.index], month[first.index] = pd.to_numeric(first[0]), pd.to_numeric(first[1])
    second = text[present & year.isna()].str.extract(r"^(\d{1,2})[-/.](\d{4})$").dropna()
    year[second.index], month[second.index] = pd.to_numeric(second[1]), pd.to_numeric(second[0])
    rest = present & year.isna()
    for fmt in ("%b %Y", "%B %Y", "%b-%Y", "%B-%Y", "%b-%y", "%b %y"):
        if not rest.any():
            break
        parsed = pd.to_datetime(text[rest].str.strip(), format=fmt, errors="coerce").dropna()
        year[parsed.index], month[parsed.index] = parsed.dt.year, parsed.dt.month
        rest = present & year.isna()
    valid = year.notna() & month.between(1, 12).fillna(False) & year.between(1900, 2999).fillna(False)
    out = (year.astype("str").str.zfill(4) + "-" + month.astype("str").str.zfill(2)).where(valid)
    return out.astype("str"), present & ~valid


def parse_numbers(text: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Floats (NaN when missing or bad) and a mask of bad cells.

    Besides plain numbers: thousands separators (``1,250,000``), a decimal comma (``7,5``), a trailing ``%``
    and a leading currency sign.
    """
    present = text.notna()
    values = pd.to_numeric(text, errors="coerce").astype("float64")
    retry = present & values.isna()
    if retry.any():
        cleaned = (text[retry].str.replace(r"[\s\u00a0']", "", regex=True)
                   .str.replace(r"^([-+]?)[€$£]", r"\1", regex=True).str.rstrip("%"))
        thousands = cleaned.str.fullmatch(r"[-+]?\d{1,3}(,\d{3})+(\.\d+)?").astype(bool)
        cleaned = cleaned.where(~thousands, cleaned.str.replace(",", "", regex=False))
        decimal_comma = cleaned.str.fullmatch(r"[-+]?\d+,\d+").astype(bool)
        cleaned = cleaned.where(~decimal_comma, cleaned.str.replace(",", ".", regex=False))
        values[retry] = pd.to_numeric(cleaned, errors="coerce").astype("float64")
    values = values.where(values.abs() < float("inf"))
    return values, present & values.isna()


def _scale_hint(header: str | None) -> str | None:
    """The scale a score column's header states, e.g. 'Likelihood to recommend (0-10)' -> nps."""
    if not header:
        return None
    words = normalise_header(header)
    if re.search(r"\b0 (to )?10\b|\bnps\b|\brecommend\b", words):
        return "nps"
    if re.search(r"\b1 (to )?5\b|\bcsat\b", words):
        return "csat"
    return None


SCALE_RANGES = {"nps": (0, 10), "csat": (1, 5)}


# --------------------------------------------------------------------------------------------- validation

def validate(kind: str, frame: pd.DataFrame, mapping: Mapping[str, str | None] | None, *, filename: str,
             constants: Mapping[str, object] | None = None, unit: str | int | None = None,
             meeting_id: int | None = None) -> tuple[pd.DataFrame, list[Problem]]:
    """Clean canonical rows (index = spreadsheet row) and every problem found; writes nothing.

    ``mapping`` is canonical -> the file's column (missing keys are suggested; None = not in the file).
    ``constants`` gives a value for a column the file lacks, or fills its blank cells.
    """
    spec = get_kind(kind)
    headers = [str(c) for c in frame.columns]
    frame = frame.copy()
    frame.columns = headers
    frame.index = pd.RangeIndex(2, len(frame) + 2, name="row")
    problems: list[Problem] = []
    constants = dict(constants or {})
    date_order = constants.pop("date_order", None)
    if date_order is not None:
        date_order = DATE_ORDERS.get(normalise_header(date_order))
        if date_order is None:
            problems.append(Problem(None, "date_order", "must be dmy (day first) or mdy (month first)"))
    mapping = resolve_mapping(kind, headers, mapping)
    known = {f.name for f in spec.all_fields}
    for canonical, header in mapping.items():
        if canonical not in known:
            problems.append(Problem(None, canonical, f"is not a column of {kind}; its columns are "
                                                     f"{', '.join(known)}"))
        elif header is not None and header not in headers:
            problems.append(Problem(None, header, f"is not a column of the file (mapped to {canonical}); the "
                                                  f"file's columns are: {', '.join(headers)}"))
    used: dict[str, str] = {}
    for canonical, header in mapping.items():
        if header in headers and canonical in known:
            if header in used:
                problems.append(Problem(None, header, f"is mapped to both {used[header]} and {canonical}: a "
                                                      "column can fill only one"))
            used.setdefault(header, canonical)
    for canonical in constants:
        if canonical not in known:
            problems.append(Problem(None, canonical, f"cannot be set: not a column of {kind}; its columns are "
                                                     f"{', '.join(sorted(known))}"))
    mapping = {k: (v if v in headers else None) for k, v in mapping.items() if k in known}
    label = {name: mapping.get(name) or name for name in known}

    # Truly empty lines are skipped; every other row must be valid.
    frame = frame[~_blank(frame).all(axis=1)] if len(frame.columns) else frame
    clean = pd.DataFrame(index=frame.index)
    bad_any = pd.Series(False, index=frame.index)

    def report(mask: pd.Series, name: str, message: Callable[[object], str], values: pd.Series) -> None:
        nonlocal bad_any
        bad_any = bad_any | mask
        col = label[name]
        for row, value in zip(mask.index[mask.to_numpy()], values[mask].tolist()):
            problems.append(Problem(int(row), col, message(value)))

    for spec_field in spec.all_fields:
        name = spec_field.name
        header = mapping.get(name)
        text = _cells(frame[header]) if header else pd.Series(pd.NA, index=frame.index, dtype="str")
        if spec_field.type in ("date", "period", "number", "score"):
            text = text.where(~text.str.lower().isin(_BLANK_TOKENS))
        constant = constants.get(name)
        if constant not in (None, "") and _constant_ok(spec_field, constant, date_order, problems):
            text = text.fillna(" ".join(str(constant).split()))
            if header is None:
                label[name] = f"{name} (set)"
        if spec_field.required and header is None and name not in constants:
            problems.append(Problem(None, name, (
                f"the required column {name} is missing: map one of the file's columns to it (--map "
                f"{name}=\"Column name\") or give one value for every row (--set {name}=...). The file's "
                f"columns are: {', '.join(headers)}")))
        elif spec_field.required:
            report(text.isna(), name, lambda v, n=name: f"{n} is empty; it is required", text)
        clean[name] = _parse_field(spec_field, text, date_order, label, problems, report)

    if spec.scope == "unit":
        _check_unit(clean, mapping, unit, label, problems, report)
    else:
        clean = clean.drop(columns=[c for c in ("unit",) if c in clean])
        if meeting_id in (None, ""):
            problems.append(Problem(None, None, f"{kind} belong to a meeting: choose one (--meeting ID)."))
    if kind == "voc":
        _check_voc(clean, mapping, constants, label, problems, report)
    _check_duplicates(spec, clean, label, report)

    problems.sort(key=lambda p: (p.row is not None, p.row or 0))
    return clean, problems


def _constant_ok(spec_field: Field, constant, date_order, problems: list[Problem]) -> bool:
    """Check a --set value once, rather than once for every row it fills."""
    found: list[Problem] = []

    def collect(mask, name, message, values):
        found.extend(Problem(None, f"{name} (set)", message(v)) for v in values[mask].tolist())

    text = pd.Series([" ".join(str(constant).split())], dtype="str")
    _parse_field(spec_field, text, date_order, {spec_field.name: f"{spec_field.name} (set)"}, found, collect)
    problems.extend(found)
    return not found


def _cells(column: pd.Series) -> pd.Series:
    """Stripped text, NA where blank."""
    text = _as_text(column).str.strip()
    return text.where(text != "")


def _parse_field(spec_field: Field, text: pd.Series, date_order, label, problems, report) -> pd.Series:
    name, kind = spec_field.name, spec_field.type
    if kind == "text":
        return text
    if kind == "label":
        messy = text.str.contains("  |[\t\r\n\u00a0]", regex=True).fillna(False).astype(bool)
        if messy.any():
            text = text.copy()
            text[messy] = text[messy].str.replace(r"\s+", " ", regex=True)
        return text
    if kind == "date":
        values, bad, complaint = parse_dates(text, date_order)
        if complaint:
            problems.append(Problem(_row_or_none(complaint[0]), label[name], complaint[1]))
        report(bad, name, lambda v: f"{v!r} is not a date ({name}: use YYYY-MM-DD)", text)
        return values
    if kind == "period":
        values, bad = parse_periods(text)
        report(bad, name, lambda v: f"{v!r} is not a month ({name}: use YYYY-MM)", text)
        return values
    if kind in ("number", "score"):
        values, bad = parse_numbers(text)
        report(bad, name, lambda v: f"{v!r} is not a number ({name})", text)
        return values
    if kind == "enum":
        # Few distinct spellings in many rows: normalise each spelling once.
        lookup = {v: spec_field.choices.get(normalise_header(v)) for v in text.dropna().unique().tolist()}
        values = text.map(lookup, na_action="ignore").astype("str")
        bad = text.notna() & values.isna()
        allowed = ", ".join(dict.fromkeys(spec_field.choices.values()))
        report(bad, name, lambda v: f"{v!r} is not one of {allowed} ({name})", text)
        return values
    if kind == "email":
        bad = text.notna() & ~text.str.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+").fillna(False).astype(bool)
        report(bad, name, lambda v: f"{v!r} is not an email address", text)
        return text
    raise AssertionError(kind)


def _row_or_none(label) -> int | None:
    try:
        return int(label)
    except (TypeError, ValueError):
        return None


def _check_unit(clean, mapping, unit, label, problems, report) -> None:
    if unit not in (None, ""):
        clean["unit"] = clean["unit"].fillna(str(unit)) if mapping.get("unit") else str(unit)
    elif mapping.get("unit"):
        report(clean["unit"].isna(), "unit", lambda v: "no unit: fill the column, or choose a unit for rows "
                                                       "without one (--unit NAME)", clean["unit"])
    else:
        problems.append(Problem(None, "unit", "these rows need a unit: choose one (--unit NAME; created if new) "
                                              "or map a column that names each row's unit"))


def _check_voc(clean, mapping, constants, label, problems, report) -> None:
    nothing = clean["score"].isna() & clean["narrative"].isna()
    report(nothing, "score", lambda v: "the row has neither a score nor a narrative", clean["score"])
    scored = clean["score"].notna()
    scale = clean["scale"].copy()
    source = pd.Series("given", index=clean.index, dtype="str")
    undecided = scored & scale.isna()
    if undecided.any():
        hint = _scale_hint(mapping.get("score"))
        if hint:
            scale[undecided] = hint
            source[undecided] = f"from the header {mapping['score']!r}"
        else:
            scores = clean.loc[undecided, "score"]
            if ((scores == 0) | (scores > 5)).any():
                scale[undecided] = "nps"
                source[undecided] = "inferred: other scores are 0 or above 5"
            else:
                problems.append(Problem(None, label["score"], (
                    "the scores are all between 1 and 5, which fits both NPS (0-10) and CSAT (1-5): say which with "
                    "--set scale=csat (or nps), or map a scale column")))
    clean["scale"] = scale.where(scored)
    for name, (low, high) in SCALE_RANGES.items():
        on_scale = scored & (clean["scale"] == name).fillna(False).astype(bool)
        values = clean["score"]
        outside = on_scale & ((values < low) | (values > high) | (values % 1 != 0))
        shown = values.map("{:g}".format, na_action="ignore").astype("str") + "\x00" + source
        report(outside, "score", lambda v, n=name, lo=low, hi=high: (
            f"score {v.split(chr(0))[0]} is outside the {n.upper()} scale ({lo}-{hi}, whole numbers; scale "
            f"{n} {v.split(chr(0))[1]})"), shown)


def _check_duplicates(spec: KindSpec, clean: pd.DataFrame, label, report) -> None:
    """Two rows of one file claiming the same identity: a mistake to show, not to resolve silently."""
    if not spec.unique:
        return
    columns = list(spec.unique) + (["unit"] if "unit" in clean else [])
    if spec.id_field:
        keyed = clean[clean[spec.id_field].notna()]
    else:
        keyed = clean.dropna(subset=[c for c in spec.unique if spec.field(c).required])
    if keyed.empty:
        return
    key = _joined(keyed[columns], casefold=spec.id_field is None)
    repeated = key.duplicated(keep="first")
    if not repeated.any():
        return
    rows = pd.Series(keyed.index, index=keyed.index)
    first_row = rows.groupby(key.to_numpy()).transform("min")
    what = " + ".join(spec.unique)
    mask = pd.Series(False, index=clean.index)
    mask[repeated[repeated].index] = True
    shown = pd.Series("", index=clean.index, dtype="str")
    named = _joined(keyed[list(spec.unique)]).str.replace("\x1f", " / ", regex=False)
    shown[key.index] = named + "\x00" + first_row.astype("str") + "\x00" + rows.astype("str")
    report(mask, spec.unique[0], lambda v: (
        f"duplicate {what} {v.split(chr(0))[0]!r}: rows {v.split(chr(0))[1]} and {v.split(chr(0))[2]}"), shown)


# --------------------------------------------------------------------------------------------- writing

def _target(db: sqlite_utils.Database, spec: KindSpec, unit, meeting_id, filename: str) -> int | None:
    """The meeting (for meeting kinds) after checking it exists; problems raise ImportFailed."""
    if spec.scope == "meeting":
        row = db.execute("SELECT status FROM meetings WHERE id = ?", [_as_int(meeting_id)]).fetchone()
        if row is None:
            raise ImportFailed(filename, [Problem(None, None, f"there is no meeting with id {meeting_id}.")])
        if spec.name == "minutes" and row[0] == "closed":
            raise ImportFailed(filename, [Problem(None, None, f"meeting {meeting_id} is closed; its minutes can "
                                                              "no longer change.")])
        return _as_int(meeting_id)
    if isinstance(unit, int) and store.find_unit(db, unit) is None:
        raise ImportFailed(filename, [Problem(None, "unit", f"there is no unit with id {unit}.")])
    return None


def _as_int(value) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return -1


def _unit_ids(db: sqlite_utils.Database, names: pd.Series, unit) -> tuple[pd.Series, tuple[str, ...]]:
    ids: dict[str, int] = {}
    labels: dict[int, str] = {}
    for name in names.dropna().unique().tolist():
        if isinstance(unit, int) and name == str(unit):
            unit_id = unit
        else:
            found = store.find_unit(db, name)
            unit_id = found["id"] if found else store.get_or_create_unit(db, name)
        ids[name] = unit_id
        labels[unit_id] = db.execute("SELECT name FROM units WHERE id = ?", [unit_id]).fetchone()[0]
    return names.map(ids), tuple(sorted(set(labels.values())))


def source_keys(spec: KindSpec, clean: pd.DataFrame) -> pd.Series:
    """The key that makes a re-import skip rows already there.

    VoC uses the response id where there is one. Otherwise the key hashes the row's canonical values plus how
    many identical rows came before it in the file, so a re-import adds nothing while two identical responses
    in one file are both kept.
    """
    scope = clean["unit"].astype("str").fillna("") if "unit" in clean else pd.Series("", index=clean.index)
    if spec.unique and not spec.id_field:
        return pd.Series(_hashes(_joined(clean[list(spec.unique)], casefold=True)), index=clean.index, dtype="str")
    keys = clean[spec.id_field].copy() if spec.id_field else pd.Series(pd.NA, index=clean.index, dtype="str")
    unkeyed = keys.isna()
    if unkeyed.any():
        content = _joined(clean.loc[unkeyed, list(spec.field_names)])
        ordinal = content.groupby([scope[unkeyed].str.casefold().to_numpy(), content.to_numpy()]).cumcount()
        keys[unkeyed] = _hashes(content + "\x1e" + ordinal.astype("str"))
    return keys


def _joined(frame: pd.DataFrame, casefold: bool = False) -> pd.Series:
    parts = [frame[c].astype("str").fillna("") for c in frame.columns]
    joined = parts[0]
    for part in parts[1:]:
        joined = joined + "\x1f" + part
    return joined.str.casefold() if casefold else joined


def _hashes(content: pd.Series) -> list[str]:
    return ["h:" + hashlib.blake2b(text.encode("utf-8"), digest_size=16).hexdigest() for text in content.tolist()]


def _insert_sql(spec: KindSpec, columns: list[str]) -> str:
    owner = "unit_id" if spec.scope == "unit" else "meeting_id"
    conflict = [owner] + (["source_key"] if spec.source_key else list(spec.unique))
    if spec.update:
        # Participants keep what a sparser re-import leaves blank; measured values are simply replaced.
        keep = spec.name == "participants"
        sets = ", ".join(f"{c} = COALESCE(excluded.{c}, {spec.table}.{c})" if keep else f"{c} = excluded.{c}"
                         for c in spec.update)
        action = f"DO UPDATE SET {sets}"
    else:
        action = "DO NOTHING"
    return (f"INSERT INTO {spec.table} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))}) "
            f"ON CONFLICT ({', '.join(conflict)}) {action}")


def import_frame(db: sqlite_utils.Database, kind: str, frame: pd.DataFrame, *, filename: str,
                 unit: str | int | None = None, meeting_id: int | None = None,
                 mapping: Mapping[str, str | None] | None = None, constants: Mapping[str, object] | None = None,
                 progress: Callable[[int, int], None] | None = None, user=None) -> ImportResult:
    """Validate every row, then write them all in one transaction; raise ImportFailed and write nothing if any
    row is bad. ``unit`` is a unit's name (created if new) or id; ``progress(done, total)`` follows the write.
    ``user`` (None: the CLI) may only write into their own units; the import is audited with its counts.
    """
    accounts.require(user, "import", "importing")
    spec = get_kind(kind)
    clean, problems = validate(kind, frame, mapping, filename=filename, constants=constants, unit=unit,
                               meeting_id=meeting_id)
    if problems:
        raise ImportFailed(filename, problems)
    meeting = _target(db, spec, unit, meeting_id, filename)
    total = len(clean)
    if spec.source_key:
        clean["source_key"] = source_keys(spec, clean)
    columns = (["source_key"] if spec.source_key else []) + list(spec.field_names)
    values = clean[columns]
    if kind == "minutes":
        values = values.assign(created_at=dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"))
    if progress:
        progress(0, total)
    # A larger page cache for this write only: index inserts of 200k rows run ~25% faster.
    cache_size = db.execute("PRAGMA cache_size").fetchone()[0]
    db.execute("PRAGMA cache_size = -65536")
    try:
        return _write(db, spec, clean, values, unit, meeting, progress, user, filename)
    finally:
        db.execute(f"PRAGMA cache_size = {int(cache_size)}")


def _write(db, spec: KindSpec, clean: pd.DataFrame, values: pd.DataFrame, unit, meeting, progress, user=None,
           filename: str = "") -> ImportResult:
    total = len(clean)
    with write_transaction(db):
        if spec.scope == "unit":
            owner_ids, units = _unit_ids(db, clean["unit"], unit)
            for unit_id in set(owner_ids) if user is not None else ():  # a refusal rolls back the new units too
                accounts.require_unit(db, user, unit_id)
            values = values.assign(unit_id=owner_ids)
        else:
            units = ()
            accounts.require_meeting(db, user, meeting)
            values = values.assign(meeting_id=meeting)
        values = values[[values.columns[-1], *values.columns[:-1]]]
        sql = _insert_sql(spec, list(values.columns))
        count = f"SELECT COUNT(*) FROM {spec.table}"
        before = db.execute(count).fetchone()[0]
        for start in range(0, total, BATCH_SIZE):
            # Python objects one batch at a time: the whole file as tuples would double peak memory.
            batch = values.iloc[start:start + BATCH_SIZE].astype(object)
            batch = batch.where(batch.notna(), None)
            db.conn.executemany(sql, batch.itertuples(index=False, name=None))
            if progress:
                progress(min(start + BATCH_SIZE, total), total)
        inserted = db.execute(count).fetchone()[0] - before
        accounts.audit.record(db, user, accounts.audit.IMPORT, {"kind": spec.name, "file": filename, "rows": total,
                                                                "inserted": inserted, "units": list(units),
                                                                **({"meeting_id": int(meeting)} if meeting else {})})
    return ImportResult(inserted, total - inserted, units)


def import_file(db: sqlite_utils.Database, kind: str, path: str | os.PathLike, *, unit: str | int | None = None,
                meeting_id: int | None = None, mapping: Mapping[str, str | None] | None = None,
                constants: Mapping[str, object] | None = None,
                progress: Callable[[int, int], None] | None = None, user=None) -> ImportResult:
    """``read_table`` then ``import_frame``: the whole import of one file."""
    filename = Path(path).name
    frame = read_table(path, filename)
    return import_frame(db, kind, frame, filename=filename, unit=unit, meeting_id=meeting_id, mapping=mapping,
                        constants=constants, progress=progress, user=user)


def parse_assignments(pairs: Iterable[str] | None, option: str) -> dict[str, str | None]:
    """``["score=Likelihood to recommend (0-10)"]`` -> ``{"score": "Likelihood to recommend (0-10)"}``."""
    out: dict[str, str | None] = {}
    for pair in pairs or ():
        name, sep, value = pair.partition("=")
        if not sep or not name.strip():
            raise ImportFailed(option, [Problem(None, None, f"{pair!r} is not canonical=value")])
        out[name.strip()] = value.strip() or None
    return out
