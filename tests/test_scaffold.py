"""Skeletons and starting a site: `new` (its placeholders warned of, the event's date left to fill in, `new
source`, the hint repeating --content) and `init [DIR]`."""

from __future__ import annotations

import os
import shlex
from pathlib import Path

from conftest import CLEAN, REPO, edit, run_build, run_main, snapshot, soup, write_site

from explainer import placeholders

STOCK = "warning: placeholder text from `build.py new`/`init` is still here: replace"


def stock_lines(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if STOCK in line]


# --- the placeholders of `new` ---


def test_an_unedited_event_skeleton_fails_on_its_empty_date_and_warns_of_its_stock_texts(tmp_path: Path) -> None:
    write_site(tmp_path, CLEAN)
    assert run_main(tmp_path, "new", "event", "vienna-talks").returncode == 0
    rel = "content/events/vienna-talks.yaml"
    assert "2022" not in (tmp_path / rel).read_text(encoding="utf-8")  # no real-looking date to go live
    built = run_main(tmp_path)
    assert built.returncode == 1
    # the error and what else is left to fill in, in one run
    assert built.stderr.splitlines()[:3] == [
        f"{rel}:3: error: event 'vienna-talks' has no date: write it as YYYY-MM-DD (or YYYY-MM, or YYYY)",
        f'{rel}:4: {STOCK} "Where it happened"',
        f'{rel}:7: {STOCK} "What happened, in a sentence or two."',
    ]
    edit(tmp_path, rel, "  date:", "  date: 2022-01-13")
    dated = run_main(tmp_path)
    assert dated.returncode == 0, dated.stderr
    assert len(stock_lines(dated.stderr)) == 2
    page = soup(tmp_path / "output/events/vienna-talks/index.html").get_text()
    assert "Where it happened" in page  # what the warnings are for: this goes live if the writer lets it
    assert run_main(tmp_path, "--strict").returncode == 1
    edit(tmp_path, rel, "place: Where it happened", "place: Vienna")
    edit(tmp_path, rel, "summary: What happened, in a sentence or two.", "summary: The OSCE meets.")
    filled = run_main(tmp_path)
    assert filled.returncode == 0, filled.stderr
    assert stock_lines(filled.stderr) == []


def test_an_issue_skeleton_warns_of_its_stock_texts_once_it_is_no_longer_a_draft(tmp_path: Path) -> None:
    write_site(tmp_path, CLEAN)
    assert run_main(tmp_path, "new", "issue", "energy-supplies").returncode == 0
    rel = "content/issues/energy-supplies.md"
    assert run_main(tmp_path, "--drafts").stderr == ""  # a draft is work in progress
    edit(tmp_path, rel, "draft: true  # remove this line to publish the card\n", "")
    built = run_main(tmp_path)
    assert built.returncode == 0, built.stderr
    assert stock_lines(built.stderr) == [
        f'{rel}:3: {STOCK} "One or two plain sentences that answer the question."',
        f'{rel}:11: {STOCK} "Write the explainer here, in Markdown."',
    ]
    assert run_main(tmp_path, "--strict").returncode == 1
    # added to rather than replaced: still there
    edit(tmp_path, rel, "Write the explainer here", "Gas flows west.\n\nWrite the explainer here")
    assert f'{rel}:13: {STOCK} "Write the explainer here, in Markdown."' in run_main(tmp_path).stderr


def test_an_unedited_actor_skeleton_warns_of_its_stock_texts(tmp_path: Path) -> None:
    write_site(tmp_path, CLEAN)
    assert run_main(tmp_path, "new", "actor", "biden").returncode == 0
    rel = "content/actors/biden.yaml"
    assert stock_lines(run_main(tmp_path).stderr) == [
        f'{rel}:4: {STOCK} "What they are, in a few words"',
        f'{rel}:6: {STOCK} "One or two sentences about who they are."',
    ]


def test_new_source_writes_a_skeleton_that_a_card_can_cite(tmp_path: Path) -> None:
    write_site(tmp_path, CLEAN)
    result = run_main(tmp_path, "new", "source", "tass-report")
    assert result.returncode == 0, result.stderr
    rel = "content/sources/tass-report.yaml"
    assert result.stdout == f"Wrote {rel}: fill it in, then run python build.py\n"
    edit(tmp_path, "content/issues/troops.md", "sources: [ap]", "sources: [ap, tass-report]")
    built = run_main(tmp_path)
    assert built.returncode == 0, built.stderr
    assert stock_lines(built.stderr) == [f'{rel}:3: {STOCK} "Who published it"']
    page = soup(tmp_path / "output/issues/troops/index.html").get_text()
    assert "Tass report" in page and "Who published it" in page
    taken = run_main(tmp_path, "new", "source", "putin")
    assert (taken.returncode, taken.stderr) == (2, "error: the id 'putin' is already used in content/actors.yaml\n")


def test_the_hint_after_new_repeats_the_content_folder(tmp_path: Path) -> None:
    write_site(tmp_path / "my desk", CLEAN)
    result = run_main(tmp_path, "new", "issue", "gas", "--content", "my desk/content")
    assert result.returncode == 0, result.stderr
    assert result.stdout == (
        "Wrote my desk/content/issues/gas.md: fill it in, then run python build.py --content 'my desk/content'\n"
    )
    command = shlex.split(result.stdout.split("then run ")[1])
    assert command[:2] == ["python", "build.py"]
    built = run_main(tmp_path, *command[2:], "--drafts", "--output", "out")  # the hint finds the card
    assert built.returncode == 0, built.stderr
    assert (tmp_path / "out/issues/gas/index.html").is_file()


# --- init ---


def test_init_starts_an_explainer_that_builds_with_its_sample_card(tmp_path: Path) -> None:
    made = run_build(tmp_path, "init", "mysite")
    assert made.returncode == 0, made.stderr
    site = tmp_path / "mysite"
    files = ["site.yaml", "actors.yaml", "events.yaml", "sources.yaml", "issues/sample-issue.md"]
    assert made.stdout.splitlines()[:6] == [
        "Started a new explainer in mysite:",
        *(f"  mysite/content/{name}" for name in files),
    ]
    assert sorted(p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file()) == sorted(
        f"content/{name}" for name in files
    )
    # the next command, run from the new folder, reaches this build.py
    last = made.stdout.splitlines()[-1]
    assert last.startswith("Replace the placeholder texts (the build warns of each one left), then run: cd mysite && ")
    command = shlex.split(last.split(" && ")[1])
    assert command[0] == "python" and command[-1] == "serve"
    assert Path(os.path.normpath(site / command[1])) == REPO / "build.py"

    built = run_build(site)
    assert built.returncode == 0, built.stderr
    assert "error" not in built.stderr
    card = soup(site / "output/issues/sample-issue/index.html")
    assert card.h1 is not None and card.h1.get_text(strip=True) == placeholders.ISSUE_TITLE
    # each stock text is named, so the writer knows what to fill in; --strict holds the site back until then
    warned = "\n".join(stock_lines(built.stderr))
    for text in (placeholders.SITE_TITLE, placeholders.SITE_DESCRIPTION, placeholders.ISSUE_SUMMARY):
        assert f'"{text}"' in warned
    assert run_build(site, "--strict", "--no-search").returncode == 1


def test_init_defaults_to_the_current_folder(tmp_path: Path) -> None:
    made = run_main(tmp_path, "init")
    assert made.returncode == 0, made.stderr
    lines = made.stdout.splitlines()
    assert lines[0] == "Started a new explainer here:"
    assert lines[-1].endswith("then run: explainer serve")  # run in this process: as `explainer`; no cd
    assert (tmp_path / "content/issues/sample-issue.md").is_file()
    assert run_main(tmp_path, "--no-search").returncode == 0


def test_init_refuses_to_overwrite_and_writes_nothing(tmp_path: Path) -> None:
    write_site(tmp_path)
    before = snapshot(tmp_path)
    result = run_main(tmp_path, "init", ".")
    assert result.returncode == 1
    assert result.stderr == (
        "error: not overwriting content/site.yaml, content/actors.yaml, content/events.yaml, "
        "content/sources.yaml: start the new explainer in another folder\n"
    )
    assert snapshot(tmp_path) == before
    assert not (tmp_path / "content/issues/sample-issue.md").exists()


def test_init_into_a_file_is_one_line_of_error_not_a_traceback(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("x", encoding="utf-8")
    result = run_main(tmp_path, "init", "notes.txt")
    assert (result.returncode, result.stderr) == (
        1,
        "error: cannot write notes.txt/content/site.yaml: Not a directory\n",
    )
