"""Fast unit tests: partial dates, YAML with lines, [[ref]] lines, ids."""

from __future__ import annotations

import dataclasses
import re
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import jinja2
import pytest
from conftest import REPO
from markupsafe import Markup, escape

from explainer import hostfiles
from explainer.dates import PartialDate, parse_date
from explainer.diagnostics import Diagnostics
from explainer.fields import suggest_id
from explainer.link import link
from explainer.load import load_content
from explainer.pages import entity_url, plan
from explainer.refs import find_refs, make_text
from explainer.render import make_environment, output_escape
from explainer.validate import validate
from explainer.yamlfile import parse_yaml

# --- dates ---


@pytest.mark.parametrize(
    "text, iso, display",
    [
        ("2008", "2008", "2008"),
        ("2021-12", "2021-12", "December 2021"),
        ("2022-01-10", "2022-01-10", "10 January 2022"),
        ("2024-02-29", "2024-02-29", "29 February 2024"),
        (" 2022-01-01 ", "2022-01-01", "1 January 2022"),
    ],
)
def test_parse_date_keeps_the_precision_written(text: str, iso: str, display: str) -> None:
    date = parse_date(text)
    assert (date.iso, date.display, str(date)) == (iso, display, iso)


@pytest.mark.parametrize(
    "text, reason",
    [
        ("2022-13-01", "'2022-13-01' has no month 13"),
        ("2022-00", "'2022-00' has no month 00"),
        ("2022-02-30", "'2022-02-30' is not a day: February 2022 has 28 days"),
        ("2023-02-29", "'2023-02-29' is not a day: February 2023 has 28 days"),
        ("2022-04-31", "'2022-04-31' is not a day: April 2022 has 30 days"),
        ("2022-01-00", "'2022-01-00' is not a day: January 2022 has 31 days"),
        ("0000", "'0000' has no year 0000"),
        ("last tuesday", "'last tuesday' is not a date: write YYYY, YYYY-MM or YYYY-MM-DD"),
        ("10/01/2022", "'10/01/2022' is not a date: write YYYY, YYYY-MM or YYYY-MM-DD"),
        ("2022-01-10T12:00", "'2022-01-10T12:00' is not a date: write YYYY, YYYY-MM or YYYY-MM-DD"),
        ("22", "'22' is not a date: write YYYY, YYYY-MM or YYYY-MM-DD"),
        ("2022-1-5", "'2022-1-5' needs two-digit months and days: write '2022-01-05'"),
        ("2022-3", "'2022-3' needs two-digit months and days: write '2022-03'"),
    ],
)
def test_parse_date_says_what_is_wrong(text: str, reason: str) -> None:
    with pytest.raises(ValueError) as error:
        parse_date(text)
    assert str(error.value) == reason


def test_partial_dates_sort_year_before_its_months_and_days() -> None:
    dates = [parse_date(t) for t in ("2022-01-10", "2022", "2021-12", "2022-01")]
    assert [d.iso for d in sorted(dates)] == ["2021-12", "2022", "2022-01", "2022-01-10"]


@pytest.mark.parametrize(
    "end, start, before",
    [
        ("2022-01-09", "2022-01-10", True),
        ("2021", "2022-01-10", True),
        ("2022-01-10", "2022-01-10", False),
        ("2022", "2022-04-03", False),  # April 2022 is within 2022
        ("2022-04", "2022-04-03", False),
        ("2022-03", "2022-04-03", True),
    ],
)
def test_is_before_only_when_wholly_before(end: str, start: str, before: bool) -> None:
    assert parse_date(end).is_before(parse_date(start)) is before


def test_precision() -> None:
    assert [PartialDate(2008).precision, PartialDate(2008, 4).precision, PartialDate(2008, 4, 3).precision] == [
        "year",
        "month",
        "day",
    ]


# --- YAML with lines ---


def parse(text: str, offset: int = 0) -> tuple[object, dict[tuple[str | int, ...], int], list[str]]:
    diags = Diagnostics()
    parsed = parse_yaml(text, "f.yaml", diags, offset)
    messages = [d.format() for d in diags.items]
    if parsed is None:
        return None, {}, messages
    return parsed.data, parsed.lines, messages


def test_every_key_and_list_item_has_its_line() -> None:
    data, lines, messages = parse("putin:\n  name: Vladimir Putin\n  member_of:\n    - russia\n    - kremlin\n")
    assert messages == []
    assert data == {"putin": {"name": "Vladimir Putin", "member_of": ["russia", "kremlin"]}}
    assert lines[("putin",)] == 1
    assert lines[("putin", "name")] == 2
    assert lines[("putin", "member_of")] == 3
    assert lines[("putin", "member_of", 1)] == 5


def test_front_matter_lines_are_offset_by_the_opening_fence() -> None:
    _, lines, _ = parse("title: T\nsummary: S\n", offset=1)
    assert lines[("summary",)] == 3


def test_duplicate_key_names_both_lines_and_keeps_the_first() -> None:
    data, _, messages = parse("a:\n  title: One\n  title: Two\nb: 1\n")
    assert messages == ["f.yaml:3: error: duplicate key 'title' (first at line 2): remove one"]
    assert data == {"a": {"title": "One"}, "b": 1}


def test_values_stay_as_written() -> None:
    data, _, _ = parse(
        "date: 2022-01-10\nyear: 1997\nno: no\nyes: yes\non: off\nprice: 2.50\nperms: 0777\ntime: 1:30\n"
        "flag: true\nother: False\nnull_key: ~\nnegative: -3\n"
    )
    assert data == {
        "date": "2022-01-10",
        "year": 1997,
        "no": "no",
        "yes": "yes",
        "on": "off",
        "price": "2.50",
        "perms": "0777",
        "time": "1:30",
        "flag": True,
        "other": False,
        "null_key": None,
        "negative": -3,
    }


def test_explicit_tags_aliases_and_the_nesting_limit() -> None:
    """The loader's own resolver and its shortcut for text values give what PyYAML's generic path gives."""
    data, lines, messages = parse(
        "a: !!int '12'\nb: !!str 12\nc: ''\nd:\ne: NULL\nf: &x tRue\ng: *x\nh: [TRUE, -0, +1, 0x1F, .5]\n=: v\n"
    )
    assert messages == []
    assert data == {"a": 12, "b": "12", "c": "", "d": None, "e": None, "f": "tRue", "g": "tRue",
                    "h": [True, 0, "+1", "0x1F", ".5"], "=": "v"}  # fmt: skip
    assert lines[("h", 4)] == 8 and lines[("=",)] == 9
    assert parse("a: !foo x\n")[2] == [
        "f.yaml:1: error: bad YAML: could not determine a constructor for the tag '!foo'"
    ]
    assert parse("a: " + "[" * 63 + "x" + "]" * 63 + "\n")[2] == []
    assert parse("a: " + "[" * 64 + "x" + "]" * 64 + "\n")[2] == [
        "f.yaml:1: error: YAML too large: nested more than 64 levels deep"
    ]


def test_keys_are_text_as_written() -> None:
    data, _, messages = parse("~: a\n2022: b\ntrue: c\n1.0: d\n")
    assert messages == []
    assert data == {"~": "a", "2022": "b", "true": "c", "1.0": "d"}


def test_ref_sources_keep_the_lines_of_a_folded_value() -> None:
    diags = Diagnostics()
    parsed = parse_yaml("a:\n  summary: >-\n    one\n    two [[x]]\n  plain: no refs\n", "f.yaml", diags)
    assert parsed is not None
    assert parsed.data["a"]["summary"] == "one two [[x]]"
    assert parsed.ref_sources == {("a", "summary"): (2, ">-\n    one\n    two [[x]]\n")}
    line, source = parsed.ref_sources[("a", "summary")]
    text = make_text(parsed.data["a"]["summary"], "f.yaml", 2, (line, source))
    assert [(r.id, r.line) for r in text.refs] == [("x", 4)]


UNCLOSED = "on this line is not closed with"
COLON = (
    "unexpected ':' — put text that contains ': ' in quotes, or check the indentation of this line and the one above"
)


@pytest.mark.parametrize(
    "text, line, reason",
    [
        ("a: 'open\nb: 1\n", 1, "a quote mark opened on this line is never closed: add the closing quote"),
        ("a: 1\nb: [x, y\nc: 2\n", 2, f"a list opened with '[' {UNCLOSED} ']' (or misses a comma)"),
        ("a: {x: 1\n", 1, f"a mapping opened with '{{' {UNCLOSED} '}}' (or misses a comma)"),
        ("title: Ukraine: what next\n", 1, COLON),
        ("a:\n  b: 1\n c: 2\n", 3, "this line does not line up with the ones above: check its indentation"),
        (
            "title: 'quoted' and more\n",
            1,
            "unexpected text after a quoted value: put the whole value inside the quotes",
        ),
        ("title: `code`\n", 1, "a value cannot start with '`': put the whole value in quotes"),
        ("title: *bold*\n", 1, "a value cannot start with '*': put the whole value in quotes"),
        ("a: 1\n---\nb: 2\n", 2, "but found another document (expected a single document in the stream at line 1)"),
    ],
)
def test_yaml_errors_name_the_line_to_fix(text: str, line: int, reason: str) -> None:
    data, _, messages = parse(text)
    assert data is None
    assert messages == [f"f.yaml:{line}: error: bad YAML: {reason}"]


def test_a_tab_in_the_indentation_is_named() -> None:
    assert parse("a:\n  b: 1\n\tc: 2\n") == (None, {}, ["f.yaml:3: error: a tab indents this line: YAML needs spaces"])


def test_alias_bombs_are_refused() -> None:
    rows = ["a: &a [x, x, x, x, x, x, x, x, x, x]"]
    for n in range(1, 7):
        rows.append(f"{'abcdefg'[n]}: &{'abcdefg'[n]} [" + ", ".join([f"*{'abcdefg'[n - 1]}"] * 10) + "]")
    _, _, messages = parse("\n".join(rows) + "\n")
    assert messages == [
        (
            "f.yaml:1: error: YAML too large: more than 200,000 values: "
            "split it into several files, or copy less with aliases (*name)"
        )
    ]


def test_empty_document() -> None:
    assert parse("") == (None, {(): 1}, [])


# --- [[refs]] with lines ---


def test_find_refs_counts_lines_from_the_start_line() -> None:
    source = "First [[a]] and [[b|label]].\n\nThird line [[ c ]].\n[[d]]"
    refs = find_refs(source, "x.md", 10)
    assert [(r.id, r.line, r.path) for r in refs] == [
        ("a", 10, "x.md"),
        ("b", 10, "x.md"),
        ("c", 12, "x.md"),
        ("d", 13, "x.md"),
    ]


def test_find_refs_skips_code_but_keeps_counting_lines() -> None:
    source = "`[[not]]`\n```\n[[neither]]\n```\n[[yes]] ~~~ `x`\n~~~\n[[no]]\n~~~\n[[last]]\n"
    assert [(r.id, r.line) for r in find_refs(source, "x.md", 1)] == [("yes", 5), ("last", 9)]


def test_find_refs_table_cell_pipe_and_empty() -> None:
    refs = find_refs("| [[putin\\|Putin]] | [[]] |", "x.md", 3)
    assert [(r.id, r.line) for r in refs] == [("putin", 3), ("", 3)]


def test_ref_and_cite_patterns_skip_escaped_brackets_only() -> None:
    """The patterns test for the escaping backslash after the `[[` (refs.py, for speed): the same matches as a
    test before it, at the start of a text, after a backslash, among runs of brackets and beside citations."""
    from explainer.refs import _ID_PART, _LABEL_PART, CITE_RE, REF_RE

    ref_before = re.compile(rf"(?<!\\)\[\[(?!@)({_ID_PART})(?:\\?\|({_LABEL_PART}))?\]\]")
    cite_before = re.compile(rf"(?<!\\)\[\[@([^\[\]|,\\\n]*)(?:,({_LABEL_PART}))?\]\]")
    texts = [
        "[[a]]",
        "\\[[a]]",
        "\\[[[a]]",
        "x\\\\[[a]]",
        "[[[a]]]",
        "\\[[a]] [[b|c]] \\[[@s]] [[@t, p. 3]]",
        "[[@s]]",
        "a\\[[@s, 1]]",
        "[[a\\|b]] \\[[c\\|d]]",
        "[[\n]] [[a\nb]]",
        "\\\\[[\\[[a]]",
    ]
    for text in texts:
        for new, old in ((REF_RE, ref_before), (CITE_RE, cite_before)):
            assert [(m.span(), m.groups()) for m in new.finditer(text)] == [
                (m.span(), m.groups()) for m in old.finditer(text)
            ], text
    assert [m.group(1) for m in REF_RE.finditer("\\[[no]] [[yes]]")] == ["yes"]


# --- ids ---


@pytest.mark.parametrize(
    "value, fixed",
    [("NATO Expansion", "nato-expansion"), ("geneva_talks_2022", "geneva-talks-2022"), ("--x--", "x"), ("日本", None)],
)
def test_suggest_id(value: str, fixed: str | None) -> None:
    assert suggest_id(value) == fixed


# --- sitemap.xml and feed.xml, written as text ---


def _element_tree_xml(root: ET.Element) -> bytes:
    """How hostfiles wrote an element tree before it wrote text."""
    ET.indent(root)
    text: bytes = ET.tostring(root, encoding="utf-8", xml_declaration=True)
    return text + b"\n"


def _element_tree_sitemap(pages: list[Any], base: str) -> bytes:
    """What hostfiles.sitemap wrote with ElementTree before it wrote text: the reference."""
    ET.register_namespace("", hostfiles.SITEMAP)
    urlset = ET.Element(f"{{{hostfiles.SITEMAP}}}urlset")
    for page in pages:
        if page.kind == "404":
            continue
        url = ET.SubElement(urlset, f"{{{hostfiles.SITEMAP}}}url")
        ET.SubElement(url, f"{{{hostfiles.SITEMAP}}}loc").text = base + page.url
        if page.updated:
            ET.SubElement(url, f"{{{hostfiles.SITEMAP}}}lastmod").text = hostfiles.day(page.updated)
    return _element_tree_xml(urlset)


def _element_tree_feed(site: Any, base: str) -> bytes:
    """What hostfiles.atom_feed wrote with ElementTree before it wrote text: the reference."""
    atom = hostfiles.ATOM
    ET.register_namespace("", atom)
    config = site.config
    dated = [(issue.updated or config.updated, issue) for issue in site.issues]
    dated.sort(key=lambda pair: pair[0] or PartialDate(1), reverse=True)
    newest = max((d for d, _ in dated if d), default=config.updated or PartialDate(1970))
    feed = ET.Element(f"{{{atom}}}feed")
    ET.SubElement(feed, f"{{{atom}}}id").text = base
    ET.SubElement(feed, f"{{{atom}}}title").text = config.title
    ET.SubElement(feed, f"{{{atom}}}subtitle").text = config.description
    ET.SubElement(feed, f"{{{atom}}}updated").text = hostfiles.timestamp(newest)
    ET.SubElement(feed, f"{{{atom}}}link", href=base + "feed.xml", rel="self", type="application/atom+xml")
    ET.SubElement(feed, f"{{{atom}}}link", href=base, rel="alternate", type="text/html")
    for name in config.authors or (config.title,):
        author = ET.SubElement(feed, f"{{{atom}}}author")
        ET.SubElement(author, f"{{{atom}}}name").text = name
    for updated, issue in dated:
        entry = ET.SubElement(feed, f"{{{atom}}}entry")
        url = base + entity_url(issue)
        ET.SubElement(entry, f"{{{atom}}}id").text = url
        ET.SubElement(entry, f"{{{atom}}}title").text = issue.title
        ET.SubElement(entry, f"{{{atom}}}link", href=url, rel="alternate", type="text/html")
        ET.SubElement(entry, f"{{{atom}}}updated").text = hostfiles.timestamp(updated or newest)
        ET.SubElement(entry, f"{{{atom}}}summary").text = issue.summary
    return _element_tree_xml(feed)


def test_sitemap_and_feed_text_is_what_element_tree_wrote() -> None:
    diags = Diagnostics()
    site = link(validate(load_content(REPO / "content", diags), diags), diags)
    assert site is not None
    odd = "A & B <c> \"d\" 'e' \r\n\tf — ü"
    issues = tuple(
        dataclasses.replace(issue, title=odd + issue.title, summary=issue.summary + odd) for issue in site.issues
    )
    for config in (
        site.config,
        dataclasses.replace(site.config, title=odd, description=odd, authors=(odd, "", "x")),
        dataclasses.replace(site.config, updated=None),
    ):
        changed = dataclasses.replace(site, config=config, issues=issues)
        for each in (site, changed, dataclasses.replace(changed, issues=())):
            for base in ("https://example.org/", 'https://ex.org/a&b"<c>\t/'):
                assert hostfiles.atom_feed(each, base) == _element_tree_feed(each, base)
                pages = plan(each)
                assert hostfiles.sitemap(pages, base) == _element_tree_sitemap(pages, base)
                assert hostfiles.sitemap(pages[-1:], base) == _element_tree_sitemap(pages[-1:], base)
                assert hostfiles.sitemap([], base) == _element_tree_sitemap([], base)


class Html:
    def __html__(self) -> str:
        return "<b>safe</b>"


@pytest.mark.parametrize(
    "value",
    [
        "",
        "plain",
        "a<b & 'c' \"d\" >",
        Markup("<i>x</i> &amp;"),
        type("S", (str,), {})("<s>"),
        3,
        -1.5,
        1e300,
        float("nan"),
        True,
        None,
        Html(),
    ],
)
def test_output_escape_prints_what_escape_prints(value: Any) -> None:
    assert str(output_escape(value)) == str(escape(value))


def test_template_calls_still_pass_context_where_asked(tmp_path: Path) -> None:
    source = "{% macro m(x, y=2) %}[{{ x }}{{ y }}]{% endmacro %}{% macro c(x) %}({{ x }}{{ caller() }}){% endmacro %}"
    source += "{% for i in [1] %}{{ m(i) }}{{ who('hi') }}{{ shout('<a>') }}{% call c(i) %}c{% endcall %}{% endfor %}"
    source += (
        "{% set ns = namespace() %}{% autoescape false %}{% set ns.raw = m('<b>') %}{% endautoescape %}{{ ns.raw }}"
    )
    rendered = []
    for env in make_environment(tmp_path), jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined):
        env.globals["who"] = jinja2.pass_context(lambda context, greeting: f"{greeting} {context['name']}")
        env.globals["shout"] = str.upper
        rendered.append(env.from_string(source).render(name="<n>"))
    assert rendered[0] == rendered[1] == "[12]hi &lt;n&gt;&lt;A&gt;(1c)[&amp;lt;b&amp;gt;2]"


def test_pages_planned_lazily_complete_to_the_pages_planned_at_once() -> None:
    diags = Diagnostics()
    site = link(validate(load_content(REPO / "content", diags), diags), diags)
    assert site is not None
    eager, lazy = plan(site), plan(site, lazy=True)
    later = [page for page in lazy if page.later is not None]
    assert len(later) == len(site.issues + site.actors + site.events) + 4
    # the list pages that cost most to plan: made where they render, not by the process that plans
    assert [page.url for page in later if page.kind not in ("issue", "actor", "event")] == [
        "actors/map/",
        "actors/map/all/",
        "events/",
        "sources/",
    ]
    assert all(page.context == {} for page in lazy if page.later is not None)
    assert [page.complete() for page in lazy] == eager
    assert all(page.complete() is page for page in eager)
