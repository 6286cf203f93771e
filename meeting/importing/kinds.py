"""The canonical tables a file can fill: their columns, types, header synonyms and identity rules."""
from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace

import pandas as pd

from meeting.store import SECTION_KEYS


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
    words = " ".join(re.sub(r"[\W_]+", " ", text.casefold()).split())
    return words or text.strip()  # Typeform's response id column is called "#"


def _choices(table: Mapping[str, tuple[str, ...]]) -> dict[str, str]:
    """{value: aliases} -> {normalised spelling: value}; each value also matches itself."""
    out = {}
    for value, aliases in table.items():
        for spelling in (value, *aliases):
            out[normalise_header(spelling)] = value
    return out


_DATE_WORDS = ("date", "timestamp", "time", "day", "recorded", "submitted", "received", "created", "completed")
# The month a metric or finance line belongs to: the same column in both kinds.
_PERIOD = Field("period", "period", required=True,
                synonyms=("period", "month", "reporting period", "reporting month", "year month", "date"),
                keywords=("period", "month"), help="the month, YYYY-MM")
_TOUCHPOINT = Field(
    "touchpoint", "label", synonyms=("touchpoint", "touch point", "journey stage", "journey step", "journey",
                                     "stage", "process", "interaction", "interaction type", "moment"),
    keywords=("touchpoint", "touch point", "journey", "stage", "process", "interaction"),
    help="the step of the customer journey, e.g. Installation",
)
UNIT_FIELD = Field(
    "unit", "label", synonyms=("unit",),
    help="optional: the business unit of each row; only a column called unit, or one mapped (--map unit=Country); "
         "new units need --create-units",
)
SCALES = _choices({"nps": ("0-10", "0 to 10", "net promoter", "net promoter score", "ltr"),
                   "csat": ("1-5", "1 to 5", "satisfaction", "customer satisfaction")})

SCALE_RANGES = {"nps": (0, 10), "csat": (1, 5)}

KINDS: dict[str, KindSpec] = {
    "voc": KindSpec(
        "voc", "Customer responses (VoC)", "voc_responses", "unit",
        (
            Field("response_id", "text", synonyms=("response id", "responseid", "id", "response", "respondent id",
                                                   "record id", "submission id", "response number", "ticket id",
                                                   "case id", "survey response id", "#", "token"),
                  keywords=("response id", "respondent", "submission id"),
                  help="the survey tool's id; used to skip rows already imported"),
            Field("received_on", "date", required=True,
                  synonyms=("received on", "recorded date", "date", "response date", "date submitted",
                            "submitted", "submitted at", "submission date", "end date", "completed", "completed at",
                            "created", "created at", "timestamp", "received", "survey date", "completion time",
                            "submit date utc", "submit date", "start date", "start time"),
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
                            "open text", "free text", "open ended", "text"),
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
            _PERIOD,
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
            _PERIOD,
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
            # Other spellings, nicknames, products, other-script names: what redaction cannot derive.
            Field("aliases", "text", synonyms=("aliases", "alias", "also known as", "aka", "nicknames", "nickname",
                                               "other names"),
                  keywords=("alias", "aka", "nickname"), help="optional; other names, separated by ;"),
        ),
        unique=("name",),
        update=("organisation", "role", "kind", "email", "phone", "aliases"),
        source_key=False,
        example=("name,organisation,role,kind,email,phone,aliases\n"
                 "Aoife Byrne,Byrne Dental,Practice owner,customer,aoife@example.com,+353 1 555 0100,Aoife B\n"
                 "Tom Walsh,Outside In Ltd,General manager,leader,tom@example.com,,\n"),
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


# Service-desk tickets are not stored as rows: meeting.importing.tickets turns them into monthly metrics.
TICKETS = KindSpec(
    "tickets", "Service-desk tickets (to monthly SLA metrics)", "metrics", "unit",
    (
        Field("ticket_id", "text", required=True,
              synonyms=("ticket id", "number", "issue key", "key", "incident", "incident number", "case number",
                        "ticket", "ticket number", "case id", "issue id", "id"),
              help="the ticket's number; a ticket with several rows (events) counts once, by its latest row"),
        Field("opened_on", "datetime", required=True,
              synonyms=("opened on", "opened at", "opened", "created", "created at", "sys created at", "date opened",
                        "open date", "reported"),
              help="when the ticket was opened: its month is the metric's period"),
        replace(_TOUCHPOINT, required=True, synonyms=_TOUCHPOINT.synonyms + ("category", "request type",
                                                                            "issue type", "service")),
        Field("within_sla", "enum",  # a column is needed (see tickets); a blank cell is a ticket still running
              choices=_choices({"yes": ("true", "1", "y", "met", "made", "within", "within sla", "ok", "achieved"),
                                "no": ("false", "0", "n", "breached", "missed", "not met", "failed", "overdue")}),
              synonyms=("within sla", "made sla", "sla met", "met sla", "sla achieved", "in sla"),
              help="whether the ticket met its SLA: true/false, yes/no, met/breached"),
        Field("resolved_on", "datetime", synonyms=("resolved on", "resolved at", "resolved", "resolution date",
                                                   "date resolved"),
              help="optional: when it was resolved, for the median hours to resolve"),
        Field("updated_on", "datetime", synonyms=("updated on", "sys updated at", "updated", "updated at",
                                                  "last updated"),
              help="optional: when the row was written; the latest row of a ticket wins (else the last in the file)"),
        Field("target", "number", required=True, synonyms=("sla target", "target"),
              help="the target share within SLA, in %: --set target=90"),
        Field("resolve_target", "number", help="with resolved_on: the target median hours to resolve"),
    ),
)


def get_kind(kind: str) -> KindSpec:
    if kind == "tickets":
        return TICKETS
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

