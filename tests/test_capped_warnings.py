"""No wall of warnings: the first few of each kind, then a count; --verbose shows all, -q a count only.

Errors are never capped. The sites are SITE without its warnings (CLEAN) plus ten cards that cite no
sources, four events that name no actors and one typo in a field name: three kinds of warning.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import CLEAN, run_main, write_site, write_tree

from explainer.diagnostics import SHOWN_PER_KIND

CARDS = 10
NO_SOURCES = "warning: this issue card cites no sources: list them in 'sources: [id, ...]'"
NO_ACTORS = "names no actors: add 'actors: [id, ...]'"
TYPO = "warning: unknown field 'titel' in issue card is ignored — did you mean 'title'?"


def card(number: int, actor: str = "russia") -> str:
    return f"---\ntitle: Card {number}\nsummary: Number {number}.\nactors: [{actor}]\n---\nBody.\n"


def noisy_site(root: Path, actor: str = "russia") -> Path:
    """CLEAN, with CARDS cards citing no sources (each naming actor), 4 events naming no actors, one typo."""
    events = CLEAN["content/events.yaml"] or ""
    bare = "".join(f"        bare-{n}:\n          title: Bare {n}\n          date: 2020-0{n}\n" for n in range(1, 5))
    write_site(root, {**CLEAN, "content/events.yaml": events.rstrip(" ") + bare})
    write_tree(root, {f"content/issues/card-{n:02}.md": card(n, actor) for n in range(1, CARDS + 1)})
    issue = root / "content/issues/nato-expansion.md"
    issue.write_text(issue.read_text(encoding="utf-8").replace("order: 2", "order: 2\ntitel: Typo"), encoding="utf-8")
    return root


@pytest.fixture
def site(tmp_path: Path) -> Path:
    return noisy_site(tmp_path)


def lines(text: str) -> list[str]:
    return text.splitlines()


def test_verbose_prints_every_warning(site: Path) -> None:
    result = run_main(site, "--no-search", "--verbose")
    assert result.returncode == 0, result.stderr
    shown = lines(result.stderr)
    assert [line for line in shown if line.endswith(NO_SOURCES)] == [
        f"content/issues/card-{n:02}.md:1: {NO_SOURCES}" for n in range(1, CARDS + 1)
    ]
    assert sum(line.endswith(NO_ACTORS) for line in shown) == 4
    assert len(shown) == CARDS + 4 + 1
    assert " — 15 warnings — " in result.stdout


def test_the_first_few_of_each_kind_then_one_line_with_the_count(site: Path) -> None:
    every = lines(run_main(site, "--no-search", "--verbose").stderr)
    result = run_main(site, "--no-search")
    assert result.returncode == 0, result.stderr
    events = [line for line in every if line.endswith(NO_ACTORS)]
    cards = [line for line in every if line.endswith(NO_SOURCES)]
    typo = [line for line in every if line.endswith(TYPO)]
    assert SHOWN_PER_KIND == 3 and len(events) == 4 and len(cards) == CARDS and len(typo) == 1
    assert (
        lines(result.stderr)
        == [
            *events[:3],  # the events file sorts first; each event's id differs, the kind is one
            "… and 1 more warning like this (--verbose shows all)",
            *cards[:3],
            "… and 7 more warnings like this (--verbose shows all)",
            *typo,  # one of its kind: no count line
        ]
    )
    assert " — 15 warnings — " in result.stdout  # the summary counts them all


def test_quiet_prints_only_how_many_warnings_there_were(site: Path) -> None:
    result = run_main(site, "--no-search", "-q")
    assert result.returncode == 0, result.stderr
    assert result.stderr == "15 warnings not shown (-q)\n"
    assert result.stdout == ""


def test_quiet_and_verbose_do_not_go_together(site: Path) -> None:
    result = run_main(site, "-q", "--verbose")
    assert result.returncode == 2
    assert "not allowed with argument" in result.stderr


def test_strict_fails_on_warnings_and_still_caps_them_even_with_quiet(site: Path) -> None:
    strict = [run_main(site, "--no-search", "--strict", *args) for args in ([], ["-q"])]
    assert not (site / "output").exists()
    default = run_main(site, "--no-search")  # the capped lines, as a build without --strict prints them
    assert default.returncode == 0 and default.stderr.count("\n") == 3 + 1 + 3 + 1 + 1
    for result in strict:
        assert result.returncode == 1
        assert result.stderr == default.stderr + "15 warnings (--strict); nothing was written to output\n"


def test_errors_are_never_capped(tmp_path: Path) -> None:
    write_site(tmp_path, CLEAN)  # ten cards, each with one error and one warning of the same two kinds
    bad = {n: card(n, actor="rusia").replace("summary:", "titel: Typo\nsummary:") for n in range(1, CARDS + 1)}
    write_tree(tmp_path, {f"content/issues/card-{n:02}.md": text for n, text in bad.items()})
    errors = [
        f"content/issues/card-{n:02}.md:5: error: unknown actor 'rusia' — did you mean 'russia'?"
        for n in range(1, CARDS + 1)
    ]
    warnings = [f"content/issues/card-{n:02}.md:3: {TYPO}" for n in range(1, 4)]
    result = run_main(tmp_path, "--no-search")
    assert result.returncode == 1
    assert lines(result.stderr) == [
        *warnings[:1], errors[0], *warnings[1:2], errors[1], *warnings[2:3],
        "… and 7 more warnings like this (--verbose shows all)",
        *errors[2:],
        f"{CARDS} errors; nothing was written to output",
    ]  # fmt: skip
    quiet = run_main(tmp_path, "--no-search", "-q")
    assert quiet.returncode == 1
    assert lines(quiet.stderr) == [
        *errors,
        f"{CARDS} warnings not shown (-q)",
        f"{CARDS} errors; nothing was written to output",
    ]


def test_a_site_without_warnings_prints_no_count_line(tmp_path: Path) -> None:
    write_site(tmp_path, CLEAN)
    for args in ([], ["-q"], ["--verbose"]):
        assert run_main(tmp_path, "--no-search", *args).stderr == ""
