"""Docs are tested: every command, option and setting the code has is documented."""

from __future__ import annotations

import re

import typer.main

from custodiet.cli.app import app
from custodiet.model.schemata import schemata
from tests.shared import REPO

README = (REPO / "README.md").read_text("utf-8")
ARCHITECTURE = (REPO / "docs" / "architecture.md").read_text("utf-8")


def test_readme_starts_with_the_two_commands() -> None:
    first_block = README.split("```sh", 1)[1].split("```", 1)[0]
    assert re.findall(r"^make \w+", first_block, re.M) == ["make run", "make test"]


def commands(group: object, prefix: str) -> list[tuple[str, object]]:
    """Every command with its full name, sub-commands of groups included."""
    found = []
    for name, command in group.commands.items():  # type: ignore[attr-defined]
        full = f"{prefix} {name}"
        found.extend(commands(command, full) if hasattr(command, "commands") else [(full, command)])
    return found


def test_every_command_and_option_is_in_the_readme() -> None:
    for name, command in commands(typer.main.get_command(app), "custodiet"):
        assert name in README, name
        for param in command.params:  # type: ignore[attr-defined]
            for opt in param.opts:
                if opt.startswith("--") and opt != "--help":
                    assert opt in README, f"{name} {opt}"


def test_every_setting_is_in_the_readme() -> None:
    sources = "".join(p.read_text("utf-8") for p in (REPO / "src").rglob("*.py"))
    for setting in set(re.findall(r"CUSTODIET_[A-Z]+", sources)):
        assert setting in README, setting


def test_architecture_names_every_module_and_schema() -> None:
    for path in (REPO / "src" / "custodiet").rglob("*.py"):
        if path.name != "__init__.py" and "versions" not in path.parts:
            assert path.name in ARCHITECTURE, path
    for name in schemata():
        assert name in ARCHITECTURE
