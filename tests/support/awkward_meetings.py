"""Three hand-made meetings with awkward names, and a leak check that derives every roster term
independently of meeting.anonymise (names and their parts, accent-free forms, organisations and their
distinctive words, roles, emails, phone digits), for the export and Minutes page tests."""
from __future__ import annotations

import re
import unicodedata
import zipfile
from pathlib import Path

import docx

from meeting import minutes, store
from meeting.store import meetings

# ---------------------------------------------------------------------------------------------------------
# Three hand-made meetings

KESTREL = [
    dict(name="Anne Lefèvre-Martin", kind="customer", organisation="Kestrel Foods", role="Head of Procurement",
         email="anne.lefevre-martin@kestrelfoods.com", phone="+33 1 42 68 53 00"),
    dict(name="Seán O'Brien", kind="customer", organisation="Brightwater Logistics Ltd", role="Chief Financial Officer",
         email="sean.obrien@brightwater.ie", phone="+353 1 234 5678"),
    dict(name="Li Wei", kind="leader", organisation="Harbourline Telecom", role="General Manager",
         email="li.wei@harbourline.example", phone="020 7946 0123"),
    dict(name="Ana Kowalczyk-Nowak", kind="leader", organisation="Harbourline Telecom", role="Sales Director"),
    dict(name="Bo Zieliński", kind="frontline", organisation="Harbourline Telecom", role="Store Manager",
         phone="07700 900123"),
]
KESTREL_ENTRIES = [
    ("customer", "note", "Anne said Kestrel's drivers wait 40 minutes at our depots; Brightwater's depots are worse. "
                         "NPS for installation fell 12% to 31.", "Anne Lefèvre-Martin", None, None),
    ("customer", "note", "Mr O'Brien (CFO) and Ms Lefevre agree the Kestrel team should not chase invoices. "
                         "Call Seán on +353 1 234 5678 or email sean.obrien@brightwater.ie.", "Seán O'Brien", None, None),
    ("customer", "decision", "Call every detractor back within 48 hours, starting 2026-11-01.", "Li Wei", None, None),
    ("operations", "action", "Bo to fix the Brightwater Logistics hand-off with the Head of Procurement; "
                             "ring 07700 900123 if stuck.", None, "Bo Zieliński", "2026-12-01"),
    ("finance", "note", "Refunds cost £3,400 in October. li wei and ZIELINSKI reviewed them with Ana.", "Ana Kowalczyk-Nowak",
     None, None),
    ("sales", "action", "Ana Kowalczyk-Nowak to meet the Kestrel Foods CFO about the 2027 contract.", None,
     "Ana Kowalczyk-Nowak", "2026-11-20"),
]

NORDIC = [
    dict(name="Søren Ødegård", kind="leader", organisation="Fjordline Energi AS", role="Chief Operating Officer",
         email="soren@fjordline.no"),
    dict(name="Małgorzata Wiśniewska", kind="customer", organisation="Summit Grocers", role="Head of Supply Chain",
         email="m.wisniewska@summitgrocers.pl", phone="+48 22 555 01 23"),
    dict(name="Zoë van der Berg", kind="customer", organisation="Zilverstad Bank NV", role="Operations Director"),
    dict(name="Will Price", kind="leader", organisation="Fjordline Energi AS", role="Finance Director"),
    dict(name="Mark Hall", kind="frontline", organisation="Fjordline Energi AS", role="Field Engineer"),
]
NORDIC_ENTRIES = [
    ("customer", "note", "Malgorzata Wisniewska said Summit's stores lost 3 deliveries in September; "
                         "Zoe van der Berg said Zilverstad customers will wait.", "Małgorzata Wiśniewska", None, None),
    ("customer", "note", "Will Price said the price will rise by 4% in January; mark the date. "
                         "Mr Ødegård thanked Mrs Wiśniewska.", "Will Price", None, None),
    ("operations", "decision", "SOREN ODEGARD and Mark Hall agreed: field visits within 5 days from 2026-12-01.",
     "Søren Ødegård", None, None),
    ("marketing", "action", "Check with Summit Grocers and the Zilverstad team before the spring campaign.",
     None, "Will Price", "2027-01-15"),
]

DSOUZA = [
    dict(name="Priya D'Souza", kind="leader", organisation="Ostrava Cloud s.r.o.", role="Chief Executive Officer",
         email="priya.dsouza@ostravacloud.cz"),
    dict(name="Jean-Luc Lefebvre", kind="customer", organisation="Maison Pélican SARL", role="Directeur Achats",
         email="jl.lefebvre@gmail.com", phone="+33 6 12 34 56 78"),
    dict(name="Bo Li", kind="customer", organisation="Yangtze Pearl Trading Co", role="Procurement Lead"),
    dict(name="Oisín Ní Bhriain", kind="frontline", organisation="Ostrava Cloud s.r.o.", role="Support Agent"),
]
DSOUZA_ENTRIES = [
    ("customer", "note", "Jean-Luc said Pélican's invoices (ref ACC-204118) arrive late; call him on 06 12 34 56 78. "
                         "Bo Li agreed: Yangtze Pearl waits 9 days.", "Jean-Luc Lefebvre", None, None),
    ("employees", "note", "Oisín asked D'Souza for two more agents; Priya's answer: yes, from 2027-02-01.",
     "Oisín Ní Bhriain", None, None),
    ("employees", "decision", "Hire 2 agents for the Ostrava Cloud helpdesk; cost 6% of budget.", "Priya D'Souza",
     None, None),
    ("finance", "action", "Send Maison Pélican the credit note for €1,250.", None, "Priya D'Souza", "2026-12-15"),
]

CONTRIBUTIONS = [
    ("customer", "Honestly, Anne and I wait too long at the Kestrel depot. 3 out of 10.", 2, 0),
    ("customer", "Secret: Seán O'Brien is leaving Brightwater", 1, 1),  # hidden: never in the minutes
    ("operations", "<img src=x onerror=alert(1)> **[click](http://evil)**", 3, 0),
]


def seed_meeting(db, unit: str, held_on: str, roster: list[dict], entries, *, title: str | None = None,
                 contributions=()) -> int:
    store.get_or_create_unit(db, unit)
    meeting_id = meetings.create_meeting(db, unit, held_on, title=title)
    for person in roster:
        meetings.add_participant(db, meeting_id, person["name"], person["kind"], organisation=person.get("organisation"),
                                 role=person.get("role"), email=person.get("email"), phone=person.get("phone"))
    for section, kind, text, speaker, owner, due in entries:
        minutes.add_entry(db, meeting_id, section, kind, text, speaker=speaker, owner=owner, due_on=due)
    for number, (section, text, rating, hidden) in enumerate(contributions):
        db.execute("INSERT INTO contributions (meeting_id, section, author_token, display_name, text, rating, "
                   "created_at, hidden) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                   [meeting_id, section, f"t{number}", "Anne from Kestrel", text, rating, "2026-11-12T10:00:00+00:00",
                    hidden])
    return meeting_id


def seed_kestrel(db) -> int:
    return seed_meeting(db, "Iberia", "2026-11-12", KESTREL, KESTREL_ENTRIES, contributions=CONTRIBUTIONS,
                        title="Iberia leadership meeting with Kestrel Foods and Seán O'Brien")


def seed_nordic(db) -> int:
    return seed_meeting(db, "Nordics", "2026-11-05", NORDIC, NORDIC_ENTRIES)


def seed_dsouza(db) -> int:
    return seed_meeting(db, "Central Europe", "2026-11-19", DSOUZA, DSOUZA_ENTRIES)


MEETINGS = {"kestrel": (seed_kestrel, KESTREL), "nordic": (seed_nordic, NORDIC), "dsouza": (seed_dsouza, DSOUZA)}

# ---------------------------------------------------------------------------------------------------------
# Roster terms, derived here independently of the implementation

# Ordinary words: a roster term equal to one of these is only a leak when capitalised ("Will", not "will").
ORDINARY = {"will", "price", "mark", "hall", "summit", "bo", "li", "ana", "wei"}
GENERIC = {"foods", "logistics", "ltd", "telecom", "energi", "as", "grocers", "bank", "nv", "cloud", "s.r.o.",
           "sarl", "trading", "co", "maison"}


def bare(text: str) -> str:
    text = unicodedata.normalize("NFD", text)
    text = "".join(c for c in text if not unicodedata.combining(c))
    return text.translate(str.maketrans({"ø": "o", "Ø": "O", "ł": "l", "Ł": "L"}))


def roster_terms(roster: list[dict]) -> tuple[set[str], set[str]]:
    """(case-insensitive terms, case-sensitive terms) that must not appear in an anonymised export."""
    insensitive, sensitive = set(), set()

    def add(term: str):
        term = term.strip(" ,.")
        for form in {term, bare(term)}:
            if len(form) < 2 or form.lower() in GENERIC:
                continue
            (sensitive if form.lower() in ORDINARY or len(form) <= 3 else insensitive).add(form)

    for person in roster:
        add(person["name"])
        for token in person["name"].split():
            if token.lower() in {"van", "der", "ní"}:
                continue
            add(token)
            for part in token.split("-"):
                add(part)
        add(person["organisation"])
        for word in person["organisation"].split():
            add(word)
        add(person["role"])
        if person.get("email"):
            add(person["email"])
            add(person["email"].split("@")[1])
    return insensitive, sensitive


def phone_cores(roster: list[dict]) -> set[str]:
    """The last four digits of each roster phone: a half-redacted "[phone] 78" still leaks them."""
    return {re.sub(r"\D", "", p["phone"])[-4:] for p in roster if p.get("phone")}


def leaks(text: str, roster: list[dict]) -> list[str]:
    """Every roster term found in ``text`` (whole words), and every roster phone by its last digits."""
    insensitive, sensitive = roster_terms(roster)
    found = [t for t in insensitive if re.search(rf"(?<!\w){re.escape(t)}(?!\w)", text, re.IGNORECASE)]
    found += [t for t in sensitive if re.search(rf"(?<!\w){re.escape(t)}(?!\w)", text)]
    # A phone's last digits, however they are separated ("56 78", "5678", "5-678"), but not digits from
    # different figures ("40 minutes ... 12% to 31" is not "0123").
    found += [core for core in phone_cores(roster) if re.search(r"[ .()+-]?".join(core), text)]
    # Half a number is still a clue: no digits may cling to a replaced phone ("[phone] 78", "+33 [phone]").
    found += re.findall(r"\[phone\][ .()-]*\d+|\d[ .()+-]*\[phone\]", text)
    return sorted(found)


# ---------------------------------------------------------------------------------------------------------
# Reading a .docx back

CORE_FIELDS = ("author", "last_modified_by", "title", "subject", "comments", "keywords", "category",
               "content_status", "identifier", "language", "version")


def docx_texts(path: Path) -> dict[str, str]:
    """Text by place: body paragraphs, tables, headers, footers, core properties, raw XML of every part."""
    document = docx.Document(str(path))
    places = {
        "paragraphs": "\n".join(p.text for p in document.paragraphs),
        "tables": "\n".join(cell.text for table in document.tables for row in table.rows for cell in row.cells),
        "headers": "\n".join(p.text for s in document.sections for h in (s.header, s.first_page_header, s.even_page_header)
                             for p in h.paragraphs),
        "footers": "\n".join(p.text for s in document.sections for f in (s.footer, s.first_page_footer, s.even_page_footer)
                             for p in f.paragraphs),
        "core properties": "\n".join(str(getattr(document.core_properties, f) or "") for f in CORE_FIELDS),
    }
    with zipfile.ZipFile(path) as archive:
        xml = [archive.read(name).decode("utf-8", "replace") for name in archive.namelist() if name.endswith((".xml", ".rels"))]
    # Tags removed, so that words split across XML runs are joined as the reader sees them.
    places["xml"] = "\n".join(re.sub(r"<[^>]+>", "", part) for part in xml)
    return places
