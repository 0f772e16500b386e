"""The command line: exit statuses, `new`, `--version`, the summary line, rebuilds and determinism."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import CLEAN, edit, run_build, run_main, snapshot, write_site

from explainer import __version__

SUMMARY = re.compile(
    r"Built (?P<pages>\d+) pages \((?P<issues>\d+) issues, (?P<actors>\d+) actors, (?P<events>\d+) events, "
    r"(?P<other>\d+) \w+\) — files: (?P<written>\d+) written, (?P<unchanged>\d+) unchanged, "
    r"(?P<removed>\d+) removed — (?P<warnings>\d+) warnings? — \d+\.\d\d s"
)


def summary(stdout: str) -> dict[str, int]:
    """The numbers of the one summary line a good build prints."""
    match = SUMMARY.fullmatch(stdout.rstrip("\n"))
    assert match, f"not a summary line: {stdout!r}"
    return {key: int(value) for key, value in match.groupdict().items()}


def output_files(output: Path) -> int:
    """Files the build wrote (the marker that says the folder is explainer's is not counted)."""
    return sum(1 for p in output.rglob("*") if p.is_file() and p.name != ".explainer-output")


# --- exit statuses (through build.py, as a user runs it) ---


def test_exit_0_and_one_summary_line_when_built(tmp_path: Path) -> None:
    write_site(tmp_path, CLEAN)
    result = run_build(tmp_path)
    assert result.returncode == 0
    assert result.stderr == ""
    numbers = summary(result.stdout)
    assert (numbers["issues"], numbers["actors"], numbers["events"]) == (4, 4, 3)
    pages = sum(1 for _ in (tmp_path / "output").rglob("*.html"))
    assert numbers["pages"] == pages
    assert numbers["written"] == output_files(tmp_path / "output")
    assert (numbers["unchanged"], numbers["removed"], numbers["warnings"]) == (0, 0, 0)


def test_exit_1_on_content_errors_and_nothing_is_created(tmp_path: Path) -> None:
    write_site(tmp_path)
    edit(tmp_path, "content/issues/nato-expansion.md", "actors: [russia, nato]", "actors: [rusia, nato]")
    result = run_build(tmp_path)
    assert result.returncode == 1
    assert result.stdout == ""
    assert result.stderr == (
        "content/issues/nato-expansion.md:6: error: unknown actor 'rusia' — did you mean 'russia'?\n"
        "1 error; nothing was written to output\n"
    )
    assert not (tmp_path / "output").exists()


def test_exit_2_on_an_unknown_option(tmp_path: Path) -> None:
    write_site(tmp_path)
    result = run_build(tmp_path, "--drafs")
    assert result.returncode == 2
    assert "build.py: error: unrecognized arguments: --drafs" in result.stderr
    assert result.stdout == ""
    assert not (tmp_path / "output").exists()


def test_exit_2_when_output_is_a_folder_explainer_did_not_create(tmp_path: Path) -> None:
    write_site(tmp_path)
    mine = tmp_path / "my-documents"
    mine.mkdir()
    (mine / "thesis.txt").write_text("years of work", encoding="utf-8")
    before = snapshot(mine)
    result = run_build(tmp_path, "--output", "my-documents")
    assert result.returncode == 2
    assert result.stderr.startswith("error: --output ")
    assert (
        "my-documents already holds files that explainer did not write; choose an empty or new folder "
        "(explainer replaces everything in its output folder)\n"
    ) in result.stderr
    assert snapshot(mine) == before
    assert sorted(p.name for p in mine.iterdir()) == ["thesis.txt"]


def test_exit_2_when_output_is_a_file(tmp_path: Path) -> None:
    write_site(tmp_path)
    (tmp_path / "site.zip").write_bytes(b"zip")
    result = run_main(tmp_path, "--output", "site.zip")
    assert result.returncode == 2
    assert result.stderr.startswith("error: --output ")
    assert result.stderr.endswith("site.zip is a file, not a folder\n")
    assert (tmp_path / "site.zip").read_bytes() == b"zip"


def test_output_may_be_an_empty_or_new_folder_or_one_explainer_wrote(tmp_path: Path) -> None:
    write_site(tmp_path)
    (tmp_path / "empty").mkdir()
    assert run_main(tmp_path, "--output", "empty").returncode == 0
    assert run_main(tmp_path, "--output", "new/deeper").returncode == 0
    again = run_main(tmp_path, "--output", "new/deeper")
    assert again.returncode == 0, again.stderr
    assert summary(again.stdout)["written"] == 0


def test_missing_content_folder(tmp_path: Path) -> None:
    write_site(tmp_path)
    result = run_main(tmp_path, "--content", "contnet")
    assert result.returncode == 1
    assert result.stderr == (
        "contnet: error: content folder not found: create it, or run 'python build.py new issue ID'\n"
        "1 error; nothing was written to output\n"
    )


def test_version() -> None:
    result = run_main(Path(), "--version")
    assert (result.returncode, result.stdout) == (0, f"explainer {__version__}\n")


def test_quiet_prints_nothing_on_success_and_build_is_the_default_command(tmp_path: Path) -> None:
    write_site(tmp_path, CLEAN)
    result = run_main(tmp_path, "build", "--quiet")
    assert (result.returncode, result.stdout, result.stderr) == (0, "", "")
    assert (tmp_path / "output/index.html").is_file()


# --- python build.py new ---


def test_new_issue_writes_a_draft_skeleton_that_builds(tmp_path: Path) -> None:
    write_site(tmp_path, CLEAN)
    result = run_main(tmp_path, "new", "issue", "energy-supplies")
    assert result.returncode == 0, result.stderr
    assert result.stdout == "Wrote content/issues/energy-supplies.md: fill it in, then run python build.py\n"
    assert "title: Energy supplies\n" in (tmp_path / "content/issues/energy-supplies.md").read_text(encoding="utf-8")
    built = run_main(tmp_path)
    assert built.returncode == 0, built.stderr
    assert built.stderr == ""
    assert not (tmp_path / "output/issues/energy-supplies").exists()  # a draft until published
    drafts = run_main(tmp_path, "--drafts")
    assert drafts.returncode == 0, drafts.stderr
    assert drafts.stderr == ""
    assert (tmp_path / "output/issues/energy-supplies/index.html").is_file()


@pytest.mark.parametrize(
    "kind, new_id, path, page",
    [
        ("actor", "biden", "content/actors/biden.yaml", "actors/biden/index.html"),
        ("event", "vienna-talks", "content/events/vienna-talks.yaml", "events/vienna-talks/index.html"),
    ],
)
def test_new_actor_or_event_writes_a_skeleton_that_builds(
    tmp_path: Path, kind: str, new_id: str, path: str, page: str
) -> None:
    write_site(tmp_path, CLEAN)
    result = run_main(tmp_path, "new", kind, new_id)
    assert result.returncode == 0, result.stderr
    assert result.stdout == f"Wrote {path}: fill it in, then run python build.py\n"
    if kind == "event":  # left empty, to be filled in (test_scaffold.py)
        edit(tmp_path, path, "  date:", "  date: 2022-01-13")
    built = run_main(tmp_path)
    assert built.returncode == 0, built.stderr
    # a skeleton no page names yet (actor), or that names no actors yet (event): one warning, to fill it in,
    # besides those of its placeholder texts (test_scaffold.py)
    warning = {"actor": "is not named on any page", "event": "names no actors"}[kind]
    others = [line for line in built.stderr.splitlines() if "placeholder text" not in line]
    assert len(others) == 1 and warning in others[0], built.stderr
    assert (tmp_path / "output" / page).is_file()


def test_new_refuses_to_overwrite_a_file(tmp_path: Path) -> None:
    write_site(tmp_path)
    card = tmp_path / "content/issues/troops.md"
    before = card.read_bytes()
    result = run_build(tmp_path, "new", "issue", "troops")
    assert result.returncode == 2
    assert result.stderr == "error: content/issues/troops.md already exists; not overwriting it\n"
    assert card.read_bytes() == before


@pytest.mark.parametrize(
    "kind, taken, where",
    [
        ("issue", "russia", "content/actors.yaml"),
        ("actor", "talks", "content/events.yaml"),
        ("event", "ap", "content/sources.yaml"),
        ("actor", "missiles", "content/issues/missiles.md"),
    ],
)
def test_new_refuses_an_id_already_in_use(tmp_path: Path, kind: str, taken: str, where: str) -> None:
    write_site(tmp_path)
    before = snapshot(tmp_path / "content")
    result = run_main(tmp_path, "new", kind, taken)
    assert result.returncode == 2
    assert result.stderr == f"error: the id '{taken}' is already used in {where}\n"
    assert snapshot(tmp_path / "content") == before


def test_new_refuses_a_bad_id_and_suggests_one(tmp_path: Path) -> None:
    write_site(tmp_path)
    result = run_main(tmp_path, "new", "issue", "Gas_Prices")
    assert result.returncode == 2
    assert result.stderr == (
        "error: bad id 'Gas_Prices': use lower-case letters and digits joined by hyphens, e.g. 'gas-prices'\n"
    )
    assert not (tmp_path / "content/issues/Gas_Prices.md").exists()


def test_new_with_an_unknown_kind_is_a_usage_error(tmp_path: Path) -> None:
    write_site(tmp_path)
    result = run_main(tmp_path, "new", "person", "biden")
    assert result.returncode == 2
    assert "argument kind: invalid choice: 'person'" in result.stderr


# --- rebuilds ---


def test_second_build_writes_nothing(tmp_path: Path) -> None:
    write_site(tmp_path)
    first = run_main(tmp_path)
    assert first.returncode == 0, first.stderr
    before = snapshot(tmp_path / "output")
    second = run_build(tmp_path)
    assert second.returncode == 0, second.stderr
    numbers = summary(second.stdout)
    assert (numbers["written"], numbers["removed"]) == (0, 0)
    assert numbers["unchanged"] == output_files(tmp_path / "output")
    assert snapshot(tmp_path / "output") == before  # same bytes and same mtimes


def test_a_change_rewrites_only_the_pages_it_touches(tmp_path: Path) -> None:
    write_site(tmp_path)
    assert run_main(tmp_path).returncode == 0
    before = snapshot(tmp_path / "output")
    edit(tmp_path, "content/events.yaml", "title: Troops gather", "title: Troops gather at the border")
    result = run_main(tmp_path)
    assert result.returncode == 0, result.stderr
    after = snapshot(tmp_path / "output")
    changed = {path for path in after if after[path] != before.get(path)}
    assert "events/buildup/index.html" in changed
    assert "actors/putin/index.html" not in changed  # Putin's page does not show this event
    assert summary(result.stdout)["written"] == len(changed)


def test_a_removed_card_disappears_from_output(tmp_path: Path) -> None:
    write_site(tmp_path)
    assert run_main(tmp_path, "--no-search").returncode == 0  # Pagefind's bundle would change too
    assert (tmp_path / "output/issues/arms-control/index.html").is_file()
    (tmp_path / "content/issues/arms-control.md").unlink()
    result = run_main(tmp_path, "--no-search")
    assert result.returncode == 0, result.stderr
    assert not (tmp_path / "output/issues/arms-control").exists()
    assert summary(result.stdout)["removed"] == 5  # its page, its feed and its citation files (.json, .bib, .ris)
    for page in (tmp_path / "output").rglob("*.html"):
        assert "/issues/arms-control/" not in page.read_text(encoding="utf-8"), page


def test_two_builds_into_two_folders_are_byte_identical(tmp_path: Path) -> None:
    write_site(tmp_path)
    for folder in ("one", "two"):  # separate processes: a different hash seed each
        # without Pagefind, whose bundle differs between two clean builds (docs/views.md)
        result = run_build(tmp_path, "--output", folder, "--no-search")
        assert result.returncode == 0, result.stderr
    one = {path: data for path, (data, _) in snapshot(tmp_path / "one").items()}
    two = {path: data for path, (data, _) in snapshot(tmp_path / "two").items()}
    assert one == two
    assert len(one) > 10
