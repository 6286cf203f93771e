"""The demo organisation: deterministic, big enough, and built to the PLANNED watermelon design.

The design checks recompute NPS, CSAT, negative shares and metric statuses here, in a few lines of pandas,
without ``meeting.evidence.watermelons``: the demo must be right on its own terms, so the detector can be tested
against it.
"""
from __future__ import annotations

import re
import subprocess
import sys
import time

import pandas as pd
import pytest
from support.table_rows import count_rows
from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

from meeting import cli, demo
from meeting.evidence import tagging, taxonomy

DEMO_FILES = ("voc", "staff", "metrics", "plans", "finance", "participants", "minutes")


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    return demo.generate(tmp_path_factory.mktemp("demo-a"))


def _csv(kind: str) -> pd.DataFrame:
    return pd.read_csv(demo.DEMO_DIR / f"{kind}.csv", dtype=str, keep_default_na=False)


@pytest.fixture(scope="module")
def voc():
    return _csv("voc")


def test_same_seed_gives_byte_identical_files_and_the_committed_ones(generated, tmp_path):
    started = time.perf_counter()
    again = demo.generate(tmp_path)
    assert time.perf_counter() - started < 5  # `make demo` stays quick on a 2-core machine
    for kind in DEMO_FILES:
        assert generated[kind].read_bytes() == again[kind].read_bytes(), kind
        # The committed CSVs are what `make demo` writes today: nobody edited them by hand or forgot to
        # regenerate after changing the generator.
        assert (demo.DEMO_DIR / f"{kind}.csv").read_bytes() == again[kind].read_bytes(), kind


def test_the_seed_drives_the_data():
    unit = demo.UNITS[0]
    assert demo.staff_rows(demo.DEFAULT_SEED, unit) == demo.staff_rows(demo.DEFAULT_SEED, unit)
    assert demo.staff_rows(demo.DEFAULT_SEED + 1, unit) != demo.staff_rows(demo.DEFAULT_SEED, unit)


def test_files_are_small_and_have_the_canonical_columns():
    total = sum((demo.DEMO_DIR / f"{kind}.csv").stat().st_size for kind in DEMO_FILES)
    assert total < 5_000_000
    assert list(_csv("voc").columns) == ["unit", "response_id", "received_on", "channel", "touchpoint", "segment",
                                         "customer_ref", "score", "scale", "narrative"]
    assert list(_csv("staff").columns) == ["unit", "submitted_on", "team", "role", "touchpoint", "kind", "text",
                                           "engagement"]
    assert list(_csv("metrics").columns) == ["unit", "period", "touchpoint", "name", "target", "actual", "direction"]
    assert list(_csv("plans").columns) == ["unit", "section", "title", "segment", "starts_on", "detail"]
    assert list(_csv("finance").columns) == ["unit", "period", "line", "actual", "budget"]


def test_twelve_months_ending_in_the_reference_month(voc):
    assert demo.PERIODS[0] == "2025-12" and demo.PERIODS[-1] == "2026-11" and len(demo.PERIODS) == 12
    for unit, rows in voc.groupby("unit"):
        assert sorted(rows["received_on"].str[:7].unique()) == list(demo.PERIODS), unit
        assert rows["received_on"].max() <= demo.REFERENCE_DATE.isoformat()
    assert sorted(_csv("metrics")["period"].unique()) == list(demo.PERIODS)
    assert sorted(_csv("finance")["period"].unique()) == list(demo.PERIODS)


def test_voc_volume_touchpoints_scales_channels_segments(voc):
    known = {taxonomy.normalise_label(rule.name) for rule in taxonomy.load_touchpoints()}
    assert voc["unit"].nunique() >= 2
    assert voc["response_id"].is_unique
    for unit, rows in voc.groupby("unit"):
        assert len(rows) >= 2500, unit
        assert rows["touchpoint"].nunique() >= 8, unit
        assert {taxonomy.normalise_label(t) for t in rows["touchpoint"]} <= known
        assert set(rows["scale"]) == {"nps", "csat", ""}, unit
        assert set(rows["channel"]) == set(demo.CHANNELS), unit
        assert set(rows["segment"]) == set(demo.SEGMENTS), unit
        scores = pd.to_numeric(rows["score"], errors="coerce")
        assert scores[rows["scale"] == "nps"].between(0, 10).all()
        assert scores[rows["scale"] == "csat"].between(1, 5).all()
        # Narrative-only responses (no score) exist, and always carry words.
        unscored = rows[rows["score"] == ""]
        assert len(unscored) > 0 and (unscored["narrative"] != "").all()


def test_narratives_are_many_and_distinct_and_mention_the_themes(voc):
    themes = taxonomy.load_themes()
    for unit, rows in voc.groupby("unit"):
        texts = rows.loc[rows["narrative"] != "", "narrative"]
        assert texts.nunique() >= 300, unit
        # Not a handful of sentences repeated: no narrative makes up more than 1% of the unit's texts.
        assert texts.value_counts().iloc[0] <= len(texts) * 0.01, unit
        tagged = tagging.tag_themes(texts, themes)
        # Every theme of the shipped taxonomy is detectable in the customers' words.
        assert (tagged.sum() >= 20).all(), tagged.sum()[tagged.sum() < 20]


def test_some_narratives_carry_customer_identifiers(voc):
    texts = voc.loc[voc["narrative"] != "", "narrative"]
    accounts = texts.str.contains(demo.ACCOUNT_NUMBER_PATTERN, regex=True)
    emails = texts.str.contains(demo.EMAIL_PATTERN, regex=True)
    phones = texts.str.contains(demo.PHONE_PATTERN, regex=True)
    names = texts.str.contains(r"\bThis is [A-ZÀ-Ž]|\bask for (?:Mr|Ms|Mrs|Dr) ", regex=True)
    for label, hits in (("accounts", accounts), ("emails", emails), ("phones", phones), ("names", names)):
        assert hits.sum() >= 20, label
    share = (accounts | emails | phones | names).mean()
    assert 0.02 <= share <= 0.07
    # Every email in a narrative is on the reserved example.com domain, and every account number follows
    # the documented pattern (so the masker's patterns cover them all).
    assert not texts.str.contains(r"@(?![\w.-]*example\.com)", regex=True).any()
    assert not texts.str.contains(r"\bACC-(?!\d{6}\b)", regex=True).any()
    assert voc["customer_ref"].str.fullmatch(r"ACC-\d{6}").all()


def test_staff_inputs_volume_teams_roles_kinds_and_engagement_trend():
    staff = _csv("staff")
    for unit, rows in staff.groupby("unit"):
        assert len(rows) >= 250, unit
        assert rows["team"].nunique() >= 5 and rows["role"].nunique() >= 10, unit
        assert set(rows["kind"]) == {"challenge", "idea", "praise"}, unit
        assert (rows["text"].str.len() > 20).all()
        assert not rows.duplicated().any()  # no id column: the importer keys staff rows on their content
        pulse = rows[rows["engagement"] != ""]
        assert set(pulse["team"]) == {"Contact centre", "Field engineering", "Billing"}
        monthly = pulse[pulse["team"] == "Contact centre"].assign(
            period=lambda f: f["submitted_on"].str[:7], engagement=lambda f: f["engagement"].astype(float)
        ).groupby("period")["engagement"].mean()
        assert monthly.iloc[:3].mean() > monthly.iloc[-3:].mean() + 0.5  # the contact centre is tiring
    themes = tagging.tag_themes(staff["text"], taxonomy.load_themes()).sum()
    for theme in ("Systems and tools", "Hand-offs", "Training and workload", "Contracts and pricing",
                  "Adverts and promises", "Billing refunds and credits"):
        assert themes[theme] >= 10, theme


def test_metrics_for_every_touchpoint_every_month_with_both_directions(voc):
    metrics = _csv("metrics")
    rules = taxonomy.load_touchpoints()
    assert set(metrics["direction"]) == {"higher", "lower"}
    for unit, rows in metrics.groupby("unit"):
        keys = rows["touchpoint"].map(lambda t: taxonomy.touchpoint_key(t, rules))
        voc_keys = {taxonomy.touchpoint_key(t, rules) for t in voc.loc[voc["unit"] == unit, "touchpoint"]}
        per_month = rows.assign(key=keys).groupby("period")["key"].apply(set)
        assert len(per_month) == 12 and all(seen == voc_keys for seen in per_month), unit
    # One unit's metrics export spells a touchpoint differently from its survey: alias matching matters.
    assert "Install" in set(metrics.loc[metrics["unit"] == "Ireland", "touchpoint"])
    assert "Install" not in set(voc["touchpoint"])


def test_plans_name_segments_that_customers_are_in_and_finance_has_every_line(voc):
    plans = _csv("plans")
    for unit, rows in plans.groupby("unit"):
        assert set(rows["section"]) == {"marketing", "sales"}
        assert set(rows["segment"]) <= set(voc.loc[voc["unit"] == unit, "segment"])
        assert (rows["starts_on"] > "2026-11").sum() >= 3  # programmes in the coming months
    finance = _csv("finance")
    assert finance.groupby(["unit", "period"])["line"].apply(frozenset).eq(frozenset(demo.FINANCE_LINES)).all()
    assert finance["unit"].nunique() == voc["unit"].nunique()


# --- the watermelon design, recomputed independently ---------------------------------------------------

def _status(target: float, actual: float, direction: str) -> str:
    gap = actual - target if direction == "higher" else target - actual
    if gap >= 0:
        return "green"
    return "amber" if -gap <= 0.05 * abs(target) else "red"


@pytest.fixture(scope="module")
def observed(voc):
    """Per unit, period and touchpoint key: metric status and feedback (poor / good / few)."""
    rules = taxonomy.load_touchpoints()
    analyser = SentimentIntensityAnalyzer()
    frame = voc.assign(period=voc["received_on"].str[:7],
                       key=voc["touchpoint"].map(lambda t: taxonomy.touchpoint_key(t, rules)),
                       value=pd.to_numeric(voc["score"], errors="coerce"))
    feedback = {}
    for (unit, period, key), rows in frame.groupby(["unit", "period", "key"]):
        n = len(rows)
        nps_scores = rows.loc[rows["scale"] == "nps", "value"].dropna()
        csat_scores = rows.loc[rows["scale"] == "csat", "value"].dropna()
        if len(nps_scores):
            poor = 100 * ((nps_scores >= 9).mean() - (nps_scores <= 6).mean()) < 0
        elif len(csat_scores):
            poor = csat_scores.mean() < 3.5
        else:
            negative = [analyser.polarity_scores(t)["compound"] < -0.05 for t in rows["narrative"]]
            poor = sum(negative) / len(negative) >= 0.5
        feedback[(unit, period, key)] = "few" if n < 10 else "poor" if poor else "good"
    metrics = _csv("metrics")
    status = {
        (row.unit, row.period, taxonomy.touchpoint_key(row.touchpoint, rules)):
            _status(float(row.target), float(row.actual), row.direction)
        for row in metrics.itertuples()
    }
    return status, feedback


def _classify(status: dict, feedback: dict, unit: str, period: str) -> dict[str, list[str]]:
    found = {"watermelons": [], "red_poor": [], "green_good": [], "reverse": [], "too_few": []}
    for touchpoint in demo.TOUCHPOINTS:
        key = taxonomy.normalise_label(touchpoint)
        state = (status[(unit, period, key)], feedback[(unit, period, key)])
        bucket = {"few": "too_few"}.get(state[1]) or {
            ("green", "poor"): "watermelons", ("red", "poor"): "red_poor",
            ("green", "good"): "green_good", ("red", "good"): "reverse",
        }.get(state)
        if bucket:
            found[bucket].append(touchpoint)
    return found


@pytest.mark.parametrize("unit", [u.name for u in demo.UNITS])
def test_every_month_matches_the_planned_design(observed, unit):
    status, feedback = observed
    for index, period in enumerate(demo.PERIODS):
        found = _classify(status, feedback, unit, period)
        planned = {k: v for k, v in demo.PLANNED[unit][period].items() if k != "ages"}
        assert found == planned, (unit, period)
        # Ages: consecutive months as a watermelon, recomputed from the data, this month included.
        for touchpoint, age in demo.PLANNED[unit][period]["ages"].items():
            months = 0
            while index - months >= 0 and touchpoint in _classify(
                    status, feedback, unit, demo.PERIODS[index - months])["watermelons"]:
                months += 1
            assert months == age, (unit, period, touchpoint)


def test_planned_design_of_the_review_month_is_what_the_brief_asks():
    # Pinned by hand, so a change to SCHEDULES that breaks the story shows up here.
    assert demo.PLANNED["United Kingdom"]["2026-10"] == {
        "watermelons": ["Installation", "Urgent fault"], "red_poor": ["Billing dispute"],
        "green_good": ["Website"], "reverse": ["Support call"], "too_few": ["Renewal"],
        "ages": {"Installation": 6, "Urgent fault": 2},
    }
    assert demo.PLANNED["Ireland"]["2026-10"] == {
        "watermelons": ["Installation", "Urgent fault"], "red_poor": ["Billing dispute"],
        "green_good": ["Account management"], "reverse": ["Billing"], "too_few": ["Renewal"],
        "ages": {"Installation": 2, "Urgent fault": 5},
    }
    for unit in demo.PLANNED:
        for period in ("2026-08", "2026-09", "2026-10", "2026-11"):
            month = demo.PLANNED[unit][period]
            assert len(month["watermelons"]) >= 2 and len(month["red_poor"]) == 1, (unit, period)


def test_the_review_month_watermelons_are_stark(voc):
    """The flags should be obvious to a reader, not a rounding accident: installation NPS far below zero."""
    october = voc[voc["received_on"].str.startswith("2026-10")]
    for unit in demo.PLANNED:
        install = pd.to_numeric(october.loc[(october["unit"] == unit) & (october["touchpoint"] == "Installation"),
                                            "score"])
        assert 100 * ((install >= 9).mean() - (install <= 6).mean()) < -30, unit
        fault = pd.to_numeric(october.loc[(october["unit"] == unit) & (october["touchpoint"] == "Urgent fault"),
                                          "score"])
        assert fault.mean() < 3.2, unit


# --- demo meetings ------------------------------------------------------------------------------------

def test_demo_meetings_have_awkward_participants_and_minutes_with_identities():
    participants = _csv("participants")
    assert set(participants["kind"]) == {"leader", "customer", "frontline"}
    names = set(participants["name"])
    assert any(re.search(r"[À-ž]", n) for n in names) and any("'" in n for n in names)
    assert any("-" in n for n in names) and any(len(n.split()[0]) <= 2 for n in names)
    for (unit, held_on), rows in participants.groupby(["unit", "held_on"]):
        assert (rows["kind"] == "customer").sum() == 1 and (rows["kind"] == "frontline").sum() == 1
        assert rows["name"].is_unique
    minutes = _csv("minutes")
    assert set(minutes["held_on"]) == {m.held_on for m in demo.DEMO_MEETINGS if m.closed}
    actions = minutes[minutes["kind"] == "action"]
    assert (actions["owner"] != "").all() and (actions["due_on"] != "").all()
    assert set(minutes["speaker"]) - {""} <= names and set(actions["owner"]) <= names
    text = " ".join(minutes["text"])
    assert "Brightwater's" in text and "Kestrel's" in text
    assert re.search(demo.EMAIL_PATTERN, text) and re.search(demo.PHONE_PATTERN, text)


# --- loading ------------------------------------------------------------------------------------------

def _table_counts(db) -> dict[str, int]:
    tables = ("units", "voc_responses", "staff_inputs", "metrics", "plans", "finance", "meetings",
              "participants", "minutes_entries")
    return {table: count_rows(db, table) for table in tables}


@pytest.mark.both_engines
def test_load_demo_imports_everything_once(fresh_db):
    counts = demo.load_demo(fresh_db)
    expected = {kind: len(_csv(kind)) for kind in DEMO_FILES}
    assert counts == {"units": 2, **{k: expected[k] for k in demo.UNIT_KINDS}, "meetings": 4,
                      "participants": expected["participants"], "minutes": expected["minutes"]}
    tables = _table_counts(fresh_db)
    assert tables["voc_responses"] == expected["voc"] and tables["minutes_entries"] == expected["minutes"]

    again = demo.load_demo(fresh_db)
    assert set(again.values()) == {0}
    assert _table_counts(fresh_db) == tables

    meetings = {(m["unit"], m["held_on"]): m["status"] for m in fresh_db.query(
        "SELECT u.name AS unit, m.held_on, m.status FROM meetings m JOIN units u ON u.id = m.unit_id")}
    assert meetings == {(m.unit, m.held_on): "closed" if m.closed else "draft" for m in demo.DEMO_MEETINGS}
    statuses = dict(fresh_db.execute(
        "SELECT status, COUNT(*) FROM minutes_entries WHERE kind = 'action' GROUP BY status").fetchall())
    assert statuses["done"] == 1 and statuses["open"] >= 8


def test_open_october_actions_carry_over_to_the_november_draft(fresh_db):
    from meeting import minutes

    demo.load_demo(fresh_db)
    for unit in ("United Kingdom", "Ireland"):
        (draft,) = fresh_db.execute(
            "SELECT m.id FROM meetings m JOIN units u ON u.id = m.unit_id WHERE u.name = ? AND m.status = 'draft'",
            [unit]).fetchone()
        carried = minutes.open_actions_before(fresh_db, draft)
        assert carried and all(a["meetings_open"] == 1 and a["owner"] for a in carried), unit


@pytest.mark.both_engines
def test_every_demo_meeting_starts_at_nine_so_its_draft_can_be_invited(db_engine, fresh_db, capsys, tmp_path):
    # Issue 28 left start_time NULL until set, and `invite` refuses without one: the demo's drafts could not be
    # invited. The demo is made up, so its meetings start at 09:00; its closed ones were held from then on.
    import icalendar

    demo.load_demo(fresh_db)
    rows = fresh_db.execute("SELECT id, status, held_on, start_time, started_at FROM meetings ORDER BY id").fetchall()
    assert len(rows) == len(demo.DEMO_MEETINGS) and {row[3] for row in rows} == {"09:00"}
    assert {row[4] for row in rows if row[1] == "closed"} == {f"{row[2]}T09:00:00+00:00" for row in rows
                                                              if row[1] == "closed"}
    draft, held_on = next((row[0], row[2]) for row in rows if row[1] == "draft")
    capsys.readouterr()
    assert cli.main(["invite", str(draft), "--out", str(tmp_path / "demo.ics")]) == 0, capsys.readouterr().err
    [event] = icalendar.Calendar.from_ical((tmp_path / "demo.ics").read_bytes()).walk("VEVENT")
    assert event.decoded("dtstart").isoformat() == f"{held_on}T09:00:00"


def test_cli_init_demo(db_path, capsys):
    assert cli.main(["--db", str(db_path), "init", "--demo"]) == 0
    out = capsys.readouterr().out
    assert "Demo organisation loaded" in out and f"{len(_csv('voc'))} voc" in out
    assert cli.main(["--db", str(db_path), "units"]) == 0
    assert {"United Kingdom", "Ireland"} <= set(re.findall(r"\t(.+)", capsys.readouterr().out))


def test_python_m_meeting_demo_generate_writes_the_committed_files(tmp_path):
    # The package split (meeting/demo/) must keep the command `make demo` runs, and its bytes.
    done = subprocess.run([sys.executable, "-m", "meeting.demo", "generate", "--out", str(tmp_path)],
                          capture_output=True, text=True, cwd=demo.DEMO_DIR.parents[1], timeout=120)
    assert done.returncode == 0, done.stderr
    assert f"{tmp_path / 'voc.csv'}: 5856 voc rows" in done.stdout
    for kind in DEMO_FILES:
        assert (tmp_path / f"{kind}.csv").read_bytes() == (demo.DEMO_DIR / f"{kind}.csv").read_bytes(), kind


def test_no_other_module_of_the_package_imports_the_demo():
    # The demo (and VADER-checked phrase banks) is not on the path a page imports; only `init --demo`
    # imports it, inside the command. Checked in a fresh interpreter: this test process has it loaded.
    # pkgutil.walk_packages would import every subpackage, the demo too, to look inside: walk by hand.
    script = (
        "import importlib, pkgutil, sys\n"
        "names, todo = [], ['meeting']\n"
        "while todo:\n"
        "    package = importlib.import_module(todo.pop())\n"
        "    for found in pkgutil.iter_modules(package.__path__, package.__name__ + '.'):\n"
        "        if found.name in ('meeting.demo', 'meeting.__main__'):\n"
        "            continue\n"
        "        names.append(found.name)\n"
        "        importlib.import_module(found.name)\n"
        "        if found.ispkg:\n"
        "            todo.append(found.name)\n"
        "print(len(names), sorted(m for m in sys.modules if m.startswith('meeting.demo')))\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          cwd=demo.DEMO_DIR.parents[1], timeout=120)
    assert done.returncode == 0, done.stderr
    count, loaded = done.stdout.split(" ", 1)
    assert int(count) > 10 and loaded.strip() == "[]"
