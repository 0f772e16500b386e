"""`[[ref]]`s as writers really write them: wrapped onto the next line, and in table cells.

The scanner (refs.find_refs, which validation and link use) and the renderer (the Markdown extension, with
and without fastinline's fast path) must agree on every one of them.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from conftest import CLEAN, SITE, edit, run_main, soup, write_site

from explainer import markdown_ext
from explainer.markdown_ext import LinkTarget, MarkdownRenderer
from explainer.refs import find_refs

ISSUE = "content/issues/nato-expansion.md"

WRAPPED_BODY = """
    The talks in [[talks|Geneva]] were about this.

    See also [[missiles]]. And the [[nato|Western
    alliance]] said no, as did [[putin
    ]] himself.

    | who | says |
    |-----|------|
    | [[nato\\|the alliance]] | no |
    | [[putin]] | yes |

    Not a ref: [[nato|one paragraph

    and another]].
    """


def wrapped_site(root: Path, body: str = WRAPPED_BODY) -> Path:
    card = SITE[ISSUE]
    head, _old_body = card.rsplit("        ---\n", 1)
    return write_site(root, {**CLEAN, ISSUE: head + "        ---\n" + body.replace("\n    ", "\n        ")})


# --- the scanner ---


def test_a_ref_wrapped_onto_the_next_line_is_found_at_the_line_of_its_brackets() -> None:
    source = "Line one.\nThe [[nato|Western\nalliance]] and [[putin\n]] and [[ russia\n  |Moscow]].\n"
    refs = find_refs(source, "x.md", 10)
    assert [(r.id, r.line) for r in refs] == [("nato", 11), ("putin", 12), ("russia", 13)]


@pytest.mark.parametrize("gap", ["\n\n", "\n  \n", "\n\t\n"])
def test_a_blank_line_ends_a_ref_as_it_ends_a_paragraph(gap: str) -> None:
    assert find_refs(f"[[nato|one{gap}two]] and [[putin{gap}]]", "x.md", 1) == ()


def test_a_ref_in_a_code_span_wrapped_over_two_lines_is_text() -> None:
    assert find_refs("Write `[[nato|the\nalliance]]` for a link; [[putin]].", "x.md", 1)[0].id == "putin"


# --- the renderer: both inline paths ---


def resolve(ref_id: str) -> LinkTarget | None:
    return LinkTarget(f"/actors/{ref_id}/", ref_id.upper(), "actors") if ref_id in ("nato", "putin") else None


TEXTS = [
    "the [[nato|Western\nalliance]] said",
    "[[putin\n]] said",
    "[[nato|a\n\nb]]",
    "| a | b |\n|---|---|\n| [[nato\\|the alliance]] | no |\n| [[putin]] | x |\n",
    "A [[nato\\|label]] outside a table, \\[[nato]] escaped, `[[nato|in\ncode]]` and [[putin  \n|hard break]].",
    "*[[nato|the\n*alliance*]]* and [[draft-id|a\nlabel]]",
]


@pytest.mark.parametrize("smart_quotes", [False, True])
def test_the_fast_inline_path_renders_refs_as_markdowns_own_loop_does(
    smart_quotes: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    fast = MarkdownRenderer(resolve, smart_quotes)
    monkeypatch.setattr(markdown_ext, "speed_up", lambda md: None)
    stock = MarkdownRenderer(resolve, smart_quotes)
    for text in TEXTS:
        assert fast(text) == stock(text), text


@pytest.mark.parametrize("text", TEXTS)
def test_the_renderer_links_exactly_the_refs_the_scanner_finds(text: str) -> None:
    html = soup_of(MarkdownRenderer(resolve, True)(text))
    linked = [a["href"] for a in html.find_all("a")]
    found = [r.id for r in find_refs(text, "x.md", 1)]
    assert linked == [f"/actors/{i}/" for i in found if resolve(i)]


def soup_of(html: str) -> BeautifulSoup:
    return BeautifulSoup(html, "html.parser")


# --- a real site ---


def test_wrapped_refs_and_table_cell_refs_are_links_on_the_page(tmp_path: Path) -> None:
    root = wrapped_site(tmp_path)
    result = run_main(root)
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    body = soup(root / "output/issues/nato-expansion/index.html").find(class_="prose")
    links = [(a["href"], " ".join(a.get_text().split())) for a in body.find_all("a", class_="ref")]
    assert links == [
        ("/events/talks/", "Geneva"),
        ("/issues/missiles/", "Where can missiles go?"),
        ("/actors/nato/", "Western alliance"),
        ("/actors/putin/", "Vladimir Putin"),
        ("/actors/nato/", "the alliance"),
        ("/actors/putin/", "Vladimir Putin"),
    ]
    cell = body.find("td")
    assert cell.find("a")["href"] == "/actors/nato/"
    assert "|" not in cell.get_text()
    # a blank line ends a ref as it ends a link: the brackets stay, in two paragraphs
    texts = [p.get_text() for p in body.find_all("p")]
    assert "Not a ref: [[nato|one paragraph" in texts and "and another]]." in texts


def test_an_unknown_wrapped_ref_is_reported_at_the_line_of_its_brackets(tmp_path: Path) -> None:
    root = wrapped_site(tmp_path, WRAPPED_BODY.replace("[[putin\n    ]]", "[[puttin\n    ]]"))
    text = (root / ISSUE).read_text(encoding="utf-8")
    line = next(n for n, row in enumerate(text.split("\n"), start=1) if "[[puttin" in row)
    result = run_main(root)
    assert result.returncode == 1
    assert result.stderr.splitlines()[0] == (
        f"{ISSUE}:{line}: error: unknown issue, actor or event 'puttin' — did you mean 'putin'?"
    )


# --- check: what slipped through ---


def test_check_reports_brackets_left_on_a_page_with_the_file_they_were_written_in(example_site: Path) -> None:
    card = example_site / "content/issues/pace-of-talks.md"
    card.write_text(
        card.read_text(encoding="utf-8")
        + "\nA ref cut by a blank line: [[nato|the\n\nalliance]] stays as written.\n"
        + "\nIn code it is meant: `[[nato]]`.\n\n    [[russia]] in an indented code block\n",
        encoding="utf-8",
    )
    lines = card.read_text(encoding="utf-8").split("\n")
    opened = next(n for n, row in enumerate(lines, start=1) if "[[nato|the" in row)
    closed = next(n for n, row in enumerate(lines, start=1) if row.startswith("alliance]]"))
    result = run_main(example_site, "check", "--base-url", "https://example.org/")
    assert result.returncode == 1
    problems = [row for row in result.stderr.splitlines() if "not as a link" in row]
    pages = ["https://example.org/es/issues/pace-of-talks/", "https://example.org/issues/pace-of-talks/"]  # es: the
    assert [row.split(" (line ")[0] for row in problems] == [  # Spanish site shows the untranslated card as written
        row
        for page in pages
        for row in (
            f"{page}: error: '[[nato|the' shows as written, not as a link "
            f"(written in content/issues/pace-of-talks.md:{opened})",
            f"{page}: error: 'alliance]]' shows as written, not as a link "
            f"(written in content/issues/pace-of-talks.md:{closed})",
        )
    ]
    html = (example_site / "output").exists()
    assert not html  # check builds into a temporary folder
    assert all(row.endswith("issues/pace-of-talks/index.html)") for row in problems)


def test_check_names_the_content_file_of_brackets_shown_on_other_pages(tmp_path: Path) -> None:
    events = (CLEAN["content/events.yaml"] or "").replace(
        "date: 2022-01-10\n", "date: 2022-01-10\n  place: near [[geneva\n"
    )
    root = write_site(tmp_path, {**CLEAN, "content/events.yaml": events.replace("\n  place", "\n          place")})
    lines = (root / "content/events.yaml").read_text(encoding="utf-8").split("\n")
    line = next(n for n, row in enumerate(lines, start=1) if "[[geneva" in row)
    result = run_main(root, "check")
    assert result.returncode == 1
    problems = sorted({row.split(": error: ")[1].split(" (line ")[0] for row in result.stderr.splitlines()
                       if "not as a link" in row})  # fmt: skip
    assert problems == [f"'[[geneva' shows as written, not as a link (written in content/events.yaml:{line})"]
    pages = {row.split(": error: ")[0] for row in result.stderr.splitlines() if "not as a link" in row}
    assert pages == {"https://example.org/events/talks/", "https://example.org/events/", "https://example.org/"}


def test_check_finds_no_brackets_on_the_example(example_site: Path) -> None:
    result = run_main(example_site, "check")
    assert result.returncode == 0, result.stderr
    assert "shows as written" not in result.stderr


# --- free-text fields: inline Markdown with [[links]], or plain text that warns of a `[[` ---


def edited(text: str | None, old: str, new: str) -> str:
    assert text is not None and text.count(old) == 1, old
    return text.replace(old, new)


def line_of(root: Path, rel: str, needle: str) -> int:
    rows = (root / rel).read_text(encoding="utf-8").split("\n")
    return next(n for n, row in enumerate(rows, start=1) if needle in row)


def test_a_quotes_context_is_inline_markdown_with_links(tmp_path: Path) -> None:
    card = edited(
        SITE[ISSUE],
        "source: ap\n",
        "source: ap\n            context: after the *first* [[talks|Geneva\n              talks]]\n",
    )
    root = write_site(tmp_path, {**CLEAN, ISSUE: card})
    result = run_main(root)
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    for page in ("issues/nato-expansion", "actors/putin"):
        caption = soup(root / "output" / page / "index.html").find("figure", class_="quote").figcaption
        link = caption.find("a", class_="ref")
        assert link is not None and link["href"] == "/events/talks/", page
        assert " ".join(link.get_text().split()) == "Geneva talks"
        assert caption.find("em").get_text() == "first"
        assert "[[" not in caption.get_text() and "*" not in caption.get_text()
    # the actor page starts its caption with the context: a capital letter, markup kept
    assert soup(root / "output/actors/putin/index.html").figcaption.get_text().split()[0] == "After"


def test_an_unknown_id_in_a_quotes_context_is_an_error_at_its_line(tmp_path: Path) -> None:
    card = edited(
        SITE[ISSUE],
        "source: ap\n",
        "source: ap\n            context: >-\n              after the\n              [[tlaks]]\n",
    )
    root = write_site(tmp_path, {**CLEAN, ISSUE: card})
    result = run_main(root)
    assert result.returncode == 1
    line = line_of(root, ISSUE, "[[tlaks]]")
    assert f"{ISSUE}:{line}: error: unknown issue, actor or event 'tlaks' — did you mean 'talks'?" in result.stderr


PLAIN = "is plain text: '[[' shows as written; write the name instead"


def test_a_ref_in_any_plain_text_field_is_a_warning_at_the_line_of_its_brackets(tmp_path: Path) -> None:
    """Every plain-text field of every file kind, broken at once: one warning each, all in one build."""
    root = write_site(tmp_path, CLEAN)
    SY, IS, AC, EV, SO = (
        "content/site.yaml",
        ISSUE,
        "content/actors.yaml",
        "content/events.yaml",
        "content/sources.yaml",
    )
    for rel, old, new in [
        (SY, "title: Test explainer\n", "title: Test [[explainer]]\n"
            'subtitle: On [[nato]]\nauthors: [Al, "[[putin]]"]\n'),
        (SY, "description: A small", "description: A [[small]]"),
        (IS, "title: Will NATO grow?", "title: Will [[nato]] grow?"),
        (IS, "status: deadlocked", 'status: "[[deadlocked]]"'),
        (IS, "updated: 2022-01-10\n", "updated: 2022-01-10\n"
            'figures:\n  - value: "[[3]]"\n    label: troops of [[russia]]\n    source: ap\n'
            "changes:\n  - date: 2022-01-10\n    text: Added [[putin]]\n"),
        (AC, "name: Vladimir Putin\n", "name: Vladimir [[Putin]]\n  role: >-\n    head of\n    [[russia]]\n"
            '  aliases: ["[[vlad]]"]\n  links:\n    "[[Kremlin]]": https://kremlin.ru\n'),
        (EV, "title: Geneva talks\n", 'title: "[[geneva]] talks"\n  place: "[[Geneva]]"\n'),
        (SO, "title: Explainer\n", 'title: "[[explainer]]"\n'),
        (SO, "publisher: AP\n", 'publisher: "[[ap]]"\n'),
    ]:  # fmt: skip
        edit(root, rel, old, new)
    result = run_main(root, "--verbose")  # every warning: there are more than the 3 of a kind shown by default
    assert result.returncode == 0, result.stderr
    expected = [
        (SY, "[[explainer]]", "'title' of site.yaml"),
        (SY, "[[small]]", "'description' of site.yaml"),
        (SY, "On [[nato]]", "'subtitle' of site.yaml"),
        (SY, "[[putin]]", "'authors' of site.yaml"),
        (IS, "Will [[nato]]", "'title' of issue card"),
        (IS, "[[deadlocked]]", "'status' of issue card"),
        (IS, "[[3]]", "'value' of figure 1"),
        (IS, "troops of [[russia]]", "'label' of figure 1"),
        (IS, "Added [[putin]]", "'text' of change 1"),
        (AC, "Vladimir [[Putin]]", "'name' of actor 'putin'"),
        (AC, "    [[russia]]", "'role' of actor 'putin'"),  # a folded value: the line of the brackets
        (AC, "[[vlad]]", "'aliases' of actor 'putin'"),
        (AC, "[[Kremlin]]", "'links' of actor 'putin'"),
        (EV, "[[geneva]] talks", "'title' of event 'talks'"),
        (EV, '[[Geneva]]"', "'place' of event 'talks'"),
        (SO, "[[explainer]]", "'title' of source 'ap'"),
        (SO, "[[ap]]", "'publisher' of source 'ap'"),
    ]
    wanted = sorted(f"{rel}:{line_of(root, rel, needle)}: warning: {what} {PLAIN}" for rel, needle, what in expected)
    assert sorted(row for row in result.stderr.splitlines() if PLAIN in row) == wanted
    # shown as written, never as a link
    event = soup(root / "output/events/talks/index.html")
    assert "[[Geneva]]" in event.get_text() and not event.find("a", href="/events/geneva/")
