"""The read commands import only what they use (issue 30): ``agenda ID --json`` was paying ~0.5 s for
python-docx, wordfreq and phonenumbers it never called, because package ``__init__`` files imported every
submodule. Each command runs here as a user runs it, ``python -X importtime -m meeting ...`` in a fresh
process on the demo database, and the modules it loaded are read from the importtime report.

pandas is not pinned yet (sqlite-utils imports it for every command until the store has its own Database
classes); the tests print whether it was loaded and the import time with and without it.
"""
from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from meeting import store
from meeting.store import meetings

ROOT = Path(__file__).resolve().parents[2]

# Heavy, and used by none of these commands: the document writer, the charting and page libraries.
NEVER = ("docx", "lxml", "openpyxl", "streamlit", "altair", "matplotlib", "plotly", "PIL", "pydeck")
# Used only to redact or review minutes: a command that shows no anonymised text must not load them.
REDACTION = ("wordfreq", "phonenumbers", "nicknames", "ftfy", "langcodes")
PANDAS = ("pandas", "numpy", "pyarrow", "sqlite_utils")
IMPORT_LINE = re.compile(r"^import time:\s+(\d+) \|\s+\d+ \|(\s*)(\S+)\s*$")


def run_importtime(*args: str) -> tuple[subprocess.CompletedProcess, dict[str, int]]:
    """Run ``python -m meeting ARGS`` under ``-X importtime``: the process, and {module: self microseconds}."""
    done = subprocess.run([sys.executable, "-X", "importtime", "-m", "meeting", *args], cwd=ROOT, capture_output=True,
                          text=True, env={**os.environ, "PYTHONPATH": str(ROOT)})
    loaded = {match[3]: int(match[1]) for match in map(IMPORT_LINE.match, done.stderr.splitlines()) if match}
    return done, loaded


def loaded_under(loaded: dict[str, int], top: str) -> list[str]:
    return sorted(name for name in loaded if name == top or name.startswith(f"{top}."))


def report(label: str, loaded: dict[str, int]) -> None:
    total = sum(loaded.values()) / 1000
    heavy = sum(us for name, us in loaded.items() if name.split(".")[0] in PANDAS) / 1000
    print(f"{label}: {len(loaded)} modules, {total:.0f} ms of imports; pandas loaded: "
          f"{bool(loaded_under(loaded, 'pandas'))}; pandas, numpy, pyarrow, sqlite-utils {heavy:.0f} ms; "
          f"without them {total - heavy:.0f} ms")


@pytest.fixture
def demo_ids(demo_db) -> dict[str, object]:
    """The demo's ids, found rather than assumed: a unit, its review-month draft and a closed meeting with minutes."""
    db = store.open_db(demo_db)
    try:
        unit = store.list_units(db)[0]
        listed = meetings.list_meetings(db, unit["id"])
        draft = next(m for m in listed if m["status"] == "draft")
        closed = next(m for m in listed if m["status"] == "closed")
        return {"unit": unit["id"], "draft": draft["id"], "closed": closed["id"], "period": closed["period"]}
    finally:
        db.close()


def commands(ids: dict) -> dict[str, tuple[tuple[str, ...], tuple[str, ...]]]:
    """name -> (arguments, the modules it must not load)."""
    return {
        "agenda --json": (("agenda", str(ids["draft"]), "--json"), (*NEVER, *REDACTION, "meeting.render.")),
        "watermelons --json": (("watermelons", "--unit", str(ids["unit"]), "--period", ids["period"], "--json"),
                               (*NEVER, *REDACTION, "meeting.render")),
        "minutes-status --json": (("minutes-status", str(ids["closed"]), "--json"), (*NEVER, *REDACTION, "meeting.render")),
        # These two show anonymised minutes: the redactor, and its word frequencies, are what they are for.
        "review --json": (("review", str(ids["closed"]), "--json"), (*NEVER, "meeting.render")),
        "actions --json": (("actions", "--unit", str(ids["unit"]), "--json"), (*NEVER, "meeting.render")),
    }


@pytest.mark.parametrize("name", ["agenda --json", "watermelons --json", "minutes-status --json", "review --json",
                                  "actions --json"])
def test_a_json_command_loads_nothing_it_does_not_use(demo_ids, name):
    args, banned = commands(demo_ids)[name]
    done, loaded = run_importtime(*args)
    assert done.returncode == 0, done.stderr[-2000:]
    assert json.loads(done.stdout), "the command printed no result: nothing was measured"
    report(name, loaded)
    # "meeting.render." bans its submodules: the package itself is a lazy stub that writes nothing.
    found = {ban: [n for n in loaded if n.startswith(ban)] if ban.endswith(".") else loaded_under(loaded, ban)
             for ban in banned}
    assert not {ban: names for ban, names in found.items() if names}


def test_help_loads_no_stage(db_path):
    done, loaded = run_importtime("--help")
    assert done.returncode == 0 and "agenda" in done.stdout
    report("--help", loaded)
    stages = ("agenda", "evidence", "minutes", "anonymise", "render", "importing", "live", "demo")
    assert not [n for n in loaded if n.startswith("meeting.") and n.split(".")[1] in stages]
    assert not [n for n in loaded if n.split(".")[0] in (*NEVER, *REDACTION)]


def test_the_agenda_markdown_still_finds_its_renderer(demo_ids):
    """The other side of laziness: the command that does print through ``meeting.render`` loads it on use."""
    done, loaded = run_importtime("agenda", str(demo_ids["draft"]))
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip() and "meeting.render.preread" in loaded


def lazy_packages() -> list[str]:
    return sorted(".".join(path.relative_to(ROOT).parent.parts) for path in (ROOT / "meeting").rglob("__init__.py")
                  if "lazy_exports(" in path.read_text(encoding="utf-8") and path.parent != ROOT / "meeting")


def test_some_packages_are_lazy():
    assert {"meeting.minutes", "meeting.anonymise", "meeting.render", "meeting.accounts"} <= set(lazy_packages())


@pytest.mark.parametrize("package", lazy_packages())
def test_every_name_a_lazy_package_promises_is_there(package):
    """A name spelled wrong in a package's table would only fail on first use: resolve every one now."""
    import importlib

    module = importlib.import_module(package)
    assert module.__all__
    for name in module.__all__:
        value = getattr(module, name)
        assert getattr(module, name) is value  # kept after the first look-up
        assert name in dir(module)
    with pytest.raises(AttributeError):
        module.no_such_name  # noqa: B018


# --- the evidence stage's own import graph (issue 29) -------------------------------------------------------

EVIDENCE = ROOT / "meeting" / "evidence"


def evidence_imports() -> dict[str, set[str]]:
    """{evidence module: the evidence modules it imports}, imports inside functions counted: a deferred import
    that closes a cycle is still a cycle, only hidden until the function runs."""
    import ast

    names = {path.stem for path in EVIDENCE.glob("*.py") if path.stem != "__init__"}
    graph: dict[str, set[str]] = {}
    for path in EVIDENCE.glob("*.py"):
        if path.stem == "__init__":
            continue
        found: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module == "meeting.evidence":
                found |= {alias.name for alias in node.names if alias.name in names}
            elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("meeting.evidence."):
                found.add(node.module.split(".")[2])
            elif isinstance(node, ast.Import):
                found |= {alias.name.split(".")[2] for alias in node.names
                          if alias.name.startswith("meeting.evidence.")}
        graph[path.stem] = found - {path.stem}
    return graph


def test_the_evidence_graph_reader_sees_deferred_imports():
    """The reader must see an import inside a function, or the test below could not fail."""
    graph = evidence_imports()
    assert graph and "months" in graph["watermelons"]
    assert all(target in graph for targets in graph.values() for target in targets)


def test_no_import_cycle_among_evidence_modules():
    graph = evidence_imports()
    done: set[str] = set()

    def visit(module: str, path: tuple[str, ...]) -> None:
        if module in path:
            raise AssertionError("import cycle: " + " -> ".join((*path[path.index(module):], module)))
        if module in done:
            return
        for target in sorted(graph[module]):
            visit(target, (*path, module))
        done.add(module)

    for module in sorted(graph):
        visit(module, ())


def test_no_evidence_module_imports_another_modules_private_names():
    import ast

    for path in EVIDENCE.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("meeting"):
                private = [alias.name for alias in node.names if alias.name.startswith("_")]
                assert not private, f"{path.name} imports {private} from {node.module}"


def test_no_evidence_module_is_over_500_lines():
    lengths = {path.name: len(path.read_text(encoding="utf-8").splitlines()) for path in EVIDENCE.glob("*.py")}
    assert lengths and max(lengths.values()) <= 500, {name: n for name, n in lengths.items() if n > 500}


@pytest.mark.parametrize("package", lazy_packages())
def test_every_submodule_of_a_lazy_package_is_an_attribute_in_a_fresh_interpreter(package):
    """``accounts.sso`` worked when the package imported every submodule; the sign-in page still reads it so.
    A fresh interpreter: in this one, earlier tests have imported the submodules already."""
    import subprocess
    import sys

    folder = ROOT.joinpath(*package.split("."))
    names = sorted(p.stem for p in folder.glob("*.py") if not p.stem.startswith("_"))
    code = (f"import importlib; package = importlib.import_module({package!r}); "
            f"print([n for n in {names!r} if getattr(package, n).__name__ != {package!r} + '.' + n])")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"
