"""Hostile and mistaken input (issue 5): each hazard fed in, with its exact message, line and exit status.

Every case starts from SITE with its likely mistakes fixed (CLEAN), so the only lines printed are the
hazard's own. Errors leave output/ as it was; warnings build, unless --strict.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from conftest import CLEAN, edit, run_main, snapshot, write_site, write_tree

ISSUE = "content/issues/nato-expansion.md"
ACTORS = "content/actors.yaml"
HTML_HINT = "write Markdown instead, or set 'allow_html: true' in site.yaml"
URL_HINT = "link to an http(s) address, or set 'allow_html: true' in site.yaml"


@pytest.fixture
def root(tmp_path: Path) -> Path:
    """A clean site, built once, so that a failed build can be seen to leave output/ alone."""
    write_site(tmp_path, CLEAN)
    assert run_main(tmp_path).returncode == 0
    return tmp_path


def body(root: Path, text: str) -> None:
    """Replace the nato-expansion card's body (which starts on line 19) with text."""
    path = root / ISSUE
    front, _, _ = path.read_text(encoding="utf-8").rpartition("---\n")
    path.write_text(front + "---\n" + text, encoding="utf-8")


def expect(root: Path, status: int, *lines: str, strict: bool = False) -> None:
    """Build root: exactly these diagnostic lines (every warning: --verbose), then the status; on failure output/
    untouched."""
    before = snapshot(root / "output")
    result = run_main(root, "--verbose", *(["--strict"] if strict else []))
    printed = [line for line in result.stderr.splitlines() if ": error: " in line or ": warning: " in line]
    assert printed == list(lines), result.stderr
    assert result.returncode == status, result.stderr
    if status:
        assert snapshot(root / "output") == before


# --- a bug in the generator itself ---


def test_an_unexpected_exception_is_our_bug_exit_3(root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from explainer import __version__, cli

    def broken(options: object) -> None:
        raise ZeroDivisionError("a bug")

    monkeypatch.setattr(cli, "build", broken)
    result = run_main(root)
    assert result.returncode == 3
    first, *rest = result.stderr.splitlines()
    assert first == (
        f"internal error in explainer {__version__}: this is a bug in the generator, not in your files; "
        "please report it with the traceback below"
    )
    assert rest[0] == "Traceback (most recent call last):" and rest[-1] == "ZeroDivisionError: a bug"


# --- raw HTML and script URLs in Markdown ---


def test_raw_html_is_left_out_with_a_warning_on_its_line(root: Path) -> None:
    body(root, 'Fine.\n\nHello <script>alert(1)</script> and `<code>` stays.\n\n<div class="box">\nBoxed.\n</div>\n')
    expect(
        root,
        0,
        f"{ISSUE}:21: warning: raw HTML </script> is not rendered and was left out: {HTML_HINT}",
        f"{ISSUE}:21: warning: raw HTML <script> is not rendered and was left out: {HTML_HINT}",
        f'{ISSUE}:23: warning: raw HTML <div class="box"> is not rendered and was left out: {HTML_HINT}',
        f"{ISSUE}:25: warning: raw HTML </div> is not rendered and was left out: {HTML_HINT}",
    )
    page = (root / "output/issues/nato-expansion/index.html").read_text(encoding="utf-8")
    assert "<script>alert" not in page and '<div class="box">' not in page
    assert "Hello alert(1) and <code>&lt;code&gt;</code> stays." in page


def test_an_html_comment_goes_silently(root: Path) -> None:
    body(root, "Before <!-- a note to the editor --> after.\n")
    expect(root, 0)
    assert "a note" not in (root / "output/issues/nato-expansion/index.html").read_text(encoding="utf-8")


def test_script_and_data_urls_become_plain_text(root: Path) -> None:
    body(
        root, "[click](javascript:alert(1))\n\n![pic]( DATA:image/png;base64,AAAA)\n\n[vb][x]\n\n[x]: VBScript:msgbox\n"
    )
    expect(
        root,
        0,
        f"{ISSUE}:19: warning: a javascript: link is not allowed and was made plain text: {URL_HINT}",
        f"{ISSUE}:21: warning: a data: image is not allowed and was made plain text: {URL_HINT}",
        f"{ISSUE}:25: warning: a vbscript: link is not allowed and was made plain text: {URL_HINT}",
    )
    page = (root / "output/issues/nato-expansion/index.html").read_text(encoding="utf-8").lower()
    assert "javascript:" not in page and "data:image" not in page and "vbscript:" not in page
    assert "<span>click</span>" in page and "<span>pic</span>" in page


def test_allow_html_renders_html_and_any_url(root: Path) -> None:
    edit(root, "content/site.yaml", "updated: 2022-01", "updated: 2022-01\nallow_html: true")
    body(root, '<aside class="note">Raw.</aside>\n\n[run](javascript:void(0))\n')
    expect(root, 0)
    page = (root / "output/issues/nato-expansion/index.html").read_text(encoding="utf-8")
    assert '<aside class="note">Raw.</aside>' in page and 'href="javascript:void(0)"' in page


# --- [[...]] forms ---


def test_empty_ref_is_an_error_unclosed_is_text_nested_names_the_inner(root: Path) -> None:
    body(root, "One [[]].\n\nTwo [[unclosed and [single].\n\nThree [[outer [[russia]] ]].\n")
    expect(root, 1, f"{ISSUE}:19: error: empty link: write [[id]] or [[id|label]] with the issue, actor or event's id")
    body(root, "Two [[unclosed and [single].\n\nThree [[outer [[russia]] ]].\n")
    expect(root, 0)
    page = (root / "output/issues/nato-expansion/index.html").read_text(encoding="utf-8")
    assert "Two [[unclosed and [single]." in page
    assert 'Three [[outer <a class="ref ref-actors" dir="auto" href="/actors/russia/">Russia</a> ]].' in page


# --- very deep, very large, very bracketed ---


def test_yaml_nested_30000_deep_is_refused_before_libyaml_overflows(root: Path) -> None:
    # libyaml's composer recurses in C: ~25,000 levels kill the interpreter with a segfault
    write_tree(root, {ACTORS: "russia: " + "[" * 30_000 + "]" * 30_000 + "\n"})
    expect(root, 1, f"{ACTORS}:1: error: YAML too large: nested more than 64 levels deep")


def test_yaml_compact_sequences_nested_deep_are_refused(root: Path) -> None:
    write_tree(root, {ACTORS: "russia:\n  name: " + "- " * 30_000 + "x\n"})
    expect(root, 1, f"{ACTORS}:2: error: YAML too large: nested more than 64 levels deep")


def test_markdown_list_nested_hundreds_deep_is_an_error(root: Path) -> None:
    body(root, "Start.\n\n" + "".join("  " * level + "- item\n" for level in range(1000)))
    started = time.perf_counter()
    expect(
        root,
        1,
        f"{ISSUE}:221: error: Markdown nested too deeply (lists or quotes inside each other hundreds of times): "
        "flatten it",
    )
    assert time.perf_counter() - started < 20  # without the guard: minutes, then a RecursionError


def test_a_flood_of_unclosed_brackets_renders_quickly(root: Path) -> None:
    body(root, "![" * 3000 + "[a](" * 3000 + "<a " * 3000 + "\n\nThen [[russia]].\n")
    started = time.perf_counter()
    expect(root, 0)
    assert time.perf_counter() - started < 20  # without the escaping: minutes
    assert "/actors/russia/" in (root / "output/issues/nato-expansion/index.html").read_text(encoding="utf-8")


def test_a_file_of_several_megabytes_builds(root: Path) -> None:
    notes = "".join(f"# note {n}: {'background ' * 30}\n" for n in range(10_000))  # ~3.5 MB of comments
    path = root / ACTORS
    path.write_text(notes + path.read_text(encoding="utf-8"), encoding="utf-8")
    assert path.stat().st_size > 3_000_000
    expect(root, 0)


def test_an_alias_bomb_fails_fast(root: Path) -> None:
    lines = ["a: &a [x, x, x, x, x, x, x, x, x]"]
    lines += [f"{c}: &{c} [{', '.join([f'*{p}'] * 9)}]" for p, c in zip("abcdefgh", "bcdefghi", strict=True)]
    write_tree(root, {ACTORS: "\n".join(lines) + "\n"})
    expect(
        root,
        1,
        f"{ACTORS}:1: error: YAML too large: more than 200,000 values: "
        "split it into several files, or copy less with aliases (*name)",
    )


# --- the content folder ---


def test_an_empty_content_folder_says_what_to_create(tmp_path: Path) -> None:
    (tmp_path / "content").mkdir()
    result = run_main(tmp_path)
    assert result.stderr.splitlines()[0] == (
        "content: error: the content folder is empty: add site.yaml and issues/<id>.md (docs/content-format.md), "
        "or run 'python build.py new issue ID'"
    )
    assert result.returncode == 1


def test_a_missing_content_folder_says_what_to_create(root: Path) -> None:
    result = run_main(root, "--content", "nowhere")
    assert result.stderr.splitlines()[0] == (
        "nowhere: error: content folder not found: create it, or run 'python build.py new issue ID'"
    )
    assert result.returncode == 1


def test_a_file_name_that_is_not_an_id_is_named_with_the_fix(root: Path) -> None:
    write_tree(root, {"content/issues/Gas Prices.md": "---\ntitle: Gas\nsummary: Up.\nsources: [ap]\n---\n"})
    expect(
        root,
        1,
        "content/issues/Gas Prices.md:1: error: bad file name 'Gas Prices': ids are lower-case letters "
        "and digits joined by hyphens: use 'gas-prices'",
    )


# --- warnings for likely mistakes, and --strict ---

LIKELY = [
    f"{ACTORS}:14: warning: actor 'belarus' is not named on any page: list it in an issue's or event's "
    "'actors', link to it with [[belarus]], or remove it",
    "content/events.yaml:15: warning: event 'call' names no actors: add 'actors: [id, ...]'",
    "content/issues/arms-control.md:1: warning: this issue card cites no sources: list them in 'sources: [id, ...]'",
    f"{ISSUE}:10: warning: a position for 'ukraine', who is not in this card's 'actors': add it there",
    f"{ISSUE}:12: warning: quote 1 has no date, nor a dated source: add 'date: YYYY-MM-DD' (or YYYY-MM, or YYYY)",
]


def make_likely_mistakes(root: Path) -> None:
    edit(root, ACTORS, "ukraine:\n", "belarus:\n  name: Belarus\n  kind: country\nukraine:\n")
    path = root / "content/events.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "call:\n  title: A phone call\n  date: 2021-12\n")
    edit(root, "content/issues/arms-control.md", "sources: [ap]\n", "")
    edit(root, ISSUE, "  nato: The door stays open.", "  ukraine: Wants to join.")
    edit(root, ISSUE, "    date: 2021-12\n", "")


def test_likely_mistakes_are_warnings_and_the_site_builds(root: Path) -> None:
    make_likely_mistakes(root)
    expect(root, 0, *LIKELY)


def test_strict_makes_warnings_fatal_and_writes_nothing(root: Path) -> None:
    make_likely_mistakes(root)
    expect(root, 1, *LIKELY, strict=True)
    result = run_main(root, "--strict")
    assert result.stderr.splitlines()[-1] == "5 warnings (--strict); nothing was written to output"


def test_end_before_date_stays_an_error(root: Path) -> None:
    edit(root, "content/events.yaml", "date: 2022-01-10", "date: 2022-01-10\n  end: 2022-01-09")
    expect(
        root, 1, "content/events.yaml:14: error: 'end' (2022-01-09) is before 'date' (2022-01-10): swap them or fix one"
    )


def test_a_draft_card_gets_no_likely_mistake_warnings(root: Path) -> None:
    write_tree(root, {"content/issues/wip.md": "---\ntitle: WIP\nsummary: Later.\ndraft: true\n---\n"})
    expect(root, 0)
