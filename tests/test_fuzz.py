"""Fuzzing: random front matter, YAML facts, Markdown and bytes never crash the build.

For every example the build either succeeds, or exits 1 printing only `path:line: severity: message`
lines and the count; it never prints a traceback, finishes within the deadline, and leaves the
output folder as it was when it fails. CI runs the short "ci" profile; a long session is
`HYPOTHESIS_PROFILE=long python -m pytest tests/test_fuzz.py` (see docs/robustness.md).
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
import yaml
from conftest import run_main, snapshot, write_tree
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

settings.register_profile("ci", max_examples=200, deadline=timedelta(seconds=5), derandomize=True)
settings.register_profile("long", max_examples=10_000, deadline=timedelta(seconds=5))
settings.register_profile("long5k", max_examples=5_000, deadline=timedelta(seconds=5))  # two processes in parallel
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

DIAGNOSTIC = re.compile(
    r"^[^\n]+?(?::\d+)?: (?:error|warning|note): [^\n]+$"
    r"|^… and [\d,]+ more warnings? like this \(--verbose shows all\)$"  # the rest of one kind of warning
)
COUNT = re.compile(r"^\d+ (?:errors?|warnings? \(--strict\)); nothing was written to \S+$")

BASE = {
    "content/site.yaml": "title: Fuzz\ndescription: Fuzzed.\nbase_url: https://example.org/\n",
    "content/actors.yaml": "russia:\n  name: Russia\n  kind: country\n",
    "content/sources.yaml": "ap:\n  title: Explainer\n  date: 2022-01-10\n",
    "content/issues/base.md": "---\ntitle: Base\nsummary: S.\nactors: [russia]\nsources: [ap]\n---\n[[russia]].\n",
}

HAZARDS = [
    "<script>alert(1)</script>", "<div>", "<!-- c -->", "javascript:alert(1)", "data:text/html,x", "[[", "]]",
    "[[]]", "[[russia]]", "[[russia|R]]", "[[nope]]", "[[a [[russia]] b]]", "[x](javascript:y)", "![i](data:x)",
    "`[[russia]]`", "```\n", "\t", "\r\n", "\ufeff", "&", "&amp;", "*", "_", "|", "\\", "---", "...", ": ",
    "- ", "? ", "&a", "*a", "!!python/object:os.system", "%YAML 1.1", "{", "}", "[", "]", "#", "'", '"', ">", "\x00",
    "yes", "no", "on", "~", "null", "2022-01-10", "2022-13-45", "1997", "0x1F", "1e9", ".inf", "<<: *a",
]  # fmt: skip
KEYS = [
    "title", "summary", "order", "status", "actors", "events", "positions", "quotes", "figures", "sources",
    "updated", "draft", "name", "kind", "date", "end", "by", "text", "source", "russia", "ap", "allow_html",
]  # fmt: skip

text = st.one_of(st.text(max_size=40), st.sampled_from(HAZARDS), st.lists(st.sampled_from(HAZARDS)).map("".join))
scalars = st.one_of(text, st.integers(), st.booleans(), st.none(), st.floats(allow_nan=False))
values = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.dictionaries(st.one_of(st.sampled_from(KEYS), text), inner, max_size=4)
    ),
    max_leaves=12,
)
mappings = st.dictionaries(st.one_of(st.sampled_from(KEYS), text), values, max_size=8)


def dump(data: object) -> str:
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)


yaml_text = st.one_of(
    mappings.map(dump),  # valid YAML of any shape
    st.lists(st.one_of(st.sampled_from(HAZARDS), st.text(max_size=20), st.just("\n"), st.just("  "))).map(
        "".join
    ),  # YAML-ish soup
    mappings.map(dump).flatmap(lambda good: st.integers(0, len(good)).map(lambda cut: good[:cut])),  # cut short
)
markdown = st.lists(
    st.one_of(st.sampled_from(HAZARDS), st.text(max_size=30), st.sampled_from(["\n", "\n\n", "    ", "> ", "1. "])),
    max_size=30,
).map("".join)
card = st.builds(lambda front, body: f"---\n{front}---\n{body}", yaml_text, markdown)
raw = st.one_of(st.text(max_size=200), st.binary(max_size=200))


FILES = [
    "content/issues/fuzz.md", "content/actors.yaml", "content/events.yaml", "content/site.yaml",
    "content/sources.yaml", "content/issues/base.md",
]  # fmt: skip


@st.composite
def fuzzed_files(draw: st.DrawFn) -> dict[str, str | bytes]:
    """One to three content files, each valid, broken, or random bytes."""
    chosen: dict[str, str | bytes] = {}
    for rel in draw(
        st.lists(
            st.sampled_from(FILES),
            min_size=1,
            max_size=3,
            unique=True,
        )
    ):
        kind = draw(st.sampled_from(["structured", "structured", "raw"]))
        if kind == "raw":
            chosen[rel] = draw(raw)
        else:
            chosen[rel] = draw(card if rel.endswith(".md") else yaml_text)
    return chosen


@pytest.fixture(scope="module")
def site() -> Iterator[Path]:
    """A site folder reused by every example: BASE built once, so output/ holds a good build."""
    with tempfile.TemporaryDirectory(prefix="explainer-fuzz-") as folder:
        root = Path(folder)
        write_tree(root, BASE)
        result = run_main(root, *EXTRA)
        assert result.returncode == 0, result.stderr
        yield root


EXTRA: list[str] = []  # options that keep a build small where the build has them
COUNTER = os.environ.get("FUZZ_COUNTER")  # a file to append one line per example to (long sessions)


def setup_module() -> None:
    from explainer.cli import make_parser

    options = make_parser().format_help()
    for flag in ("--no-search", "--no-cache"):
        if flag in options:
            EXTRA.append(flag)
    if "--jobs" in options:
        EXTRA.extend(["--jobs", "1"])


def reset(root: Path, files: dict[str, str | bytes]) -> None:
    """content/ as BASE with files replaced; output/ stays as the last good build left it."""
    shutil.rmtree(root / "content")
    write_tree(root, BASE)
    for rel, content in files.items():
        path = root / rel
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8", errors="surrogatepass")


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(files=fuzzed_files())
def test_any_content_builds_or_fails_cleanly(site: Path, files: dict[str, str | bytes]) -> None:
    reset(site, files)
    before = snapshot(site / "output")
    result = run_main(site, *EXTRA)
    if COUNTER:
        with open(COUNTER, "a", encoding="utf-8") as counter:
            counter.write(f"{result.returncode}\n")
    assert "Traceback" not in result.stderr, result.stderr
    assert result.returncode in (0, 1), result.stderr
    lines = result.stderr.splitlines()
    if result.returncode == 1:
        assert lines and COUNT.match(lines[-1]), result.stderr
        lines = lines[:-1]
        assert snapshot(site / "output") == before
    bad = [line for line in lines if not DIAGNOSTIC.match(line)]
    assert not bad, result.stderr
