"""The README is tested, as sqlite-utils tests its docs (issue 19): every path it names exists, every
`python -m meeting` command and flag it shows is one the CLI accepts, every `make` target and bench module it
names exists, and every CLI command is documented."""
from __future__ import annotations

import argparse
import re
from pathlib import Path

import pytest

from meeting import cli

ROOT = Path(__file__).resolve().parents[2]
README = (ROOT / "README.md").read_text(encoding="utf-8")
SPANS = re.findall(r"`([^`\n]+)`", README)
FENCED = [line.strip() for block in re.findall(r"```[a-z]*\n(.*?)```", README, re.S) for line in block.splitlines()]
COMMAND_LINES = [s for s in SPANS + FENCED if s.startswith(("python -m meeting ", "outside-in "))]

# Named on purpose although absent from a checkout: created at run time, or what the README warns against.
NOT_IN_A_CHECKOUT = {"data/outside_in.db", ".streamlit/secrets.toml", "look/", "pages/", "pages/x.py", "exports/"}
TOP_LEVEL = ("meeting/", "tests/", "bench/", "views/", "data/", ".streamlit/", ".ci/")


def _named_paths() -> list[str]:
    paths = []
    for span in SPANS:
        for token in span.split():
            if token in NOT_IN_A_CHECKOUT or "://" in token:
                continue
            if token.startswith(TOP_LEVEL) or (token.endswith(".py") and "/" in token):
                paths.append(token)
    return sorted(set(paths))


@pytest.mark.parametrize("path", _named_paths())
def test_every_path_the_readme_names_exists(path):
    pattern = re.sub(r"<[^>]+>", "*", path).rstrip("/")
    assert list(ROOT.glob(pattern)), f"README names {path}, which is not in the checkout"


@pytest.mark.parametrize("name", sorted({s for s in SPANS if re.fullmatch(r"[a-z_]+\.py", s)}))
def test_every_bare_module_name_is_a_file_of_the_project(name):
    assert [p for p in ROOT.rglob(name) if ".venv" not in p.parts], name


def _subcommands(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    [action] = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    return dict(action.choices)


def _flags(parser: argparse.ArgumentParser) -> set[str]:
    return {option for action in parser._actions for option in action.option_strings}


@pytest.mark.parametrize("line", COMMAND_LINES)
def test_every_command_and_flag_the_readme_shows_is_accepted(line):
    words = line.split()[3:] if line.startswith("python") else line.split()[1:]
    parser = cli.build_parser()
    flags = set(_flags(parser))
    words = [w for w in words if w not in ("--db",)]
    if words == ["..."]:  # "python -m meeting ...": the CLI as a whole
        return
    command = next(w for w in words if not w.startswith("-"))
    commands = _subcommands(parser)
    assert command in commands, f"README shows `{line}`: no command {command!r}"
    sub = commands[command]
    flags |= _flags(sub)
    rest = words[words.index(command) + 1:]
    if any(isinstance(a, argparse._SubParsersAction) for a in sub._actions) and rest and not rest[0].startswith("-"):
        nested = _subcommands(sub)
        if rest[0] in nested:
            flags |= _flags(nested[rest[0]])
        else:
            assert rest[0].isupper() or rest[0] == "...", f"README shows `{line}`: no {command} {rest[0]!r}"
    for flag in re.findall(r"(?<![\w-])--[a-z][a-z-]*", " ".join(rest)):
        assert flag in flags, f"README shows `{line}`: {command} has no {flag}"


def test_every_cli_command_is_documented():
    shown = {line.split()[3] if line.startswith("python") else line.split()[1] for line in COMMAND_LINES
             if len(line.split()) > (3 if line.startswith("python") else 1)}
    missing = set(_subcommands(cli.build_parser())) - shown
    assert not missing, f"commands with no README line: {sorted(missing)}"


@pytest.mark.parametrize("target", sorted(set(re.findall(r"`make ([a-z-]+)", README))))
def test_every_make_target_the_readme_names_exists(target):
    assert re.search(rf"^{re.escape(target)}:", (ROOT / "Makefile").read_text(), re.M), target


@pytest.mark.parametrize("module", sorted(set(re.findall(r"python -m (bench\.[a-z_]+)", README))))
def test_every_bench_the_readme_names_exists(module):
    assert (ROOT / (module.replace(".", "/") + ".py")).is_file(), module
