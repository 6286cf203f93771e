"""The package installs and runs on its own (issue 19): every runtime import declared, the data it reads
shipped inside it, and an installed copy working from a folder that is not the checkout."""
from __future__ import annotations

import ast
import importlib.metadata
import re
import shutil
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
RUNTIME_SOURCES = [*sorted((ROOT / "meeting").rglob("*.py")), *sorted((ROOT / "views").rglob("*.py")), ROOT / "app.py", ROOT / "router.py"]


def _canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _declared() -> set[str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    return {_canonical(re.split(r"[<>=!~\[; ]", dep, maxsplit=1)[0]) for dep in project["dependencies"]}


def _pinned() -> set[str]:
    names = set()
    for line in (ROOT / "requirements.txt").read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            names.add(_canonical(re.split(r"[<>=!~\[; ]", line, maxsplit=1)[0]))
    return names


def _imported_top_level_modules() -> set[str]:
    """Every module the runtime imports, at any depth in a file (lazy imports inside functions count)."""
    found = set()
    for path in RUNTIME_SOURCES:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                found.update(alias.name.split(".")[0] for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                found.add(node.module.split(".")[0])
    return found - set(sys.stdlib_module_names) - {"meeting", "views", "__future__"}


def test_requirements_and_pyproject_declare_the_same_runtime_distributions():
    assert _declared() == _pinned()


def test_every_runtime_import_comes_from_a_declared_distribution():
    # importlib.metadata maps import names to the installed distributions that provide them (independent of
    # the lists under test): "docx" -> python-docx, "ahocorasick" -> pyahocorasick, "PIL" -> pillow.
    providers = importlib.metadata.packages_distributions()
    undeclared = {}
    for module in sorted(_imported_top_level_modules()):
        distributions = {_canonical(name) for name in providers.get(module, [])}
        assert distributions, f"{module} is imported but no installed distribution provides it"
        if not distributions & _declared():
            undeclared[module] = sorted(distributions)
    assert not undeclared, f"imported at run time but not in pyproject.toml's dependencies: {undeclared}"


def _not_source(folder: str, names: list[str]) -> set[str]:
    top_level = {".git", ".venv", "build", "data", "exports", "look"} if Path(folder) == ROOT else set()
    return {name for name in names if name in top_level or name in {"__pycache__", ".pytest_cache", ".hypothesis"}
            or name.endswith(".egg-info")}


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    # Built from a copy: setuptools writes build/ and *.egg-info into the tree it builds, and the checkout must
    # stay as git left it (a build/ once got committed that way).
    source = tmp_path_factory.mktemp("source") / "outside-in"
    shutil.copytree(ROOT, source, ignore=_not_source)
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(out),
                    str(source)], check=True, capture_output=True, cwd=out)
    [built] = out.glob("outside_in-*.whl")
    return built


def test_the_wheel_carries_every_data_file_the_package_reads(wheel):
    shipped = set(zipfile.ZipFile(wheel).namelist())
    data_files = {path.relative_to(ROOT).as_posix() for path in (ROOT / "meeting" / "data").rglob("*") if path.is_file()}
    assert data_files and not data_files - shipped


def test_an_installed_copy_initialises_the_demo_and_exports_from_another_folder(wheel, tmp_path):
    # Installed into a folder of its own (deps from this venv) and run from a folder that is not the
    # checkout: nothing may be read from the checkout's paths.
    site = tmp_path / "site"
    subprocess.run([sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target", str(site), str(wheel)],
                   check=True, capture_output=True)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {"PATH": "/usr/bin:/bin", "PYTHONPATH": str(site), "HOME": str(tmp_path),
           "OUTSIDE_IN_EXPORTS": str(elsewhere / "out"), "TLDEXTRACT_PUBLIC_SUFFIX_LIST_URLS": ""}

    def outside_in(*args: str) -> subprocess.CompletedProcess:
        probe = ("import meeting, sys; assert not meeting.__file__.startswith(sys.argv[1]), meeting.__file__; "
                 "from meeting.cli import main; sys.exit(main(sys.argv[2:]))")
        return subprocess.run([sys.executable, "-c", probe, str(ROOT), "--db", "x.db", *args], cwd=elsewhere,
                              env=env, capture_output=True, text=True, timeout=240)

    init = outside_in("init", "--demo")
    assert init.returncode == 0, init.stderr
    assert "Demo organisation loaded" in init.stdout
    listed = outside_in("meetings")
    assert listed.returncode == 0, listed.stderr
    meeting_id = listed.stdout.split()[0]
    agenda = outside_in("agenda", meeting_id, "--json")
    assert agenda.returncode == 0, agenda.stderr
    assert '"sections"' in agenda.stdout
    exported = outside_in("export", meeting_id, "--format", "md")
    assert exported.returncode == 0, exported.stderr
    [written] = (elsewhere / "out").glob("*.md")
    assert written.read_text(encoding="utf-8").strip()
    assert (elsewhere / "x.db").is_file()
