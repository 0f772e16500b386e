"""Shared helpers: build real sites into tmp_path and parse the HTML."""

from __future__ import annotations

import contextlib
import io
import os
import shutil
import signal
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest
import yaml
from bs4 import BeautifulSoup, Tag

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))  # for run_main when explainer is not installed

# A shell starts a background job (`.ci/run &`, nohup) with Ctrl-C ignored, and an ignored signal is inherited:
# the builds and servers these tests interrupt with SIGINT would not stop. Handled here, it is reset to the
# default in every child, as in a terminal.
signal.signal(signal.SIGINT, signal.default_int_handler)


def write_tree(root: Path, files: dict[str, str]) -> None:
    """Write files (path → text, dedented) under root."""
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")


def run_build(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """Run `python build.py` as a user would, in cwd."""
    return subprocess.run(
        [sys.executable, str(REPO / "build.py"), *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
    )


def run_main(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """`explainer.cli.main` in this process, in cwd: what run_build does without starting Python.

    A subprocess costs ~0.4 s of interpreter and import start-up; the many
    error cases use this instead and test_cli checks build.py itself.
    """
    from explainer.cli import main

    out, err = io.StringIO(), io.StringIO()
    with contextlib.chdir(cwd), contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            status = main(list(args))
        except SystemExit as exit:  # argparse: --help, --version, usage errors
            status = exit.code if isinstance(exit.code, int) else 1
    return subprocess.CompletedProcess(["build.py", *args], status, out.getvalue(), err.getvalue())


def soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def generated_site(root: Path, cards: int, actors: int | None = None) -> Path:
    """A generated explainer of cards issue cards (bench/make_corpus.py; cards // 4 actors unless actors says)
    with the default theme, in root."""
    sys.path.insert(0, str(REPO / "bench"))
    from make_corpus import make_corpus

    make_corpus(cards, root / "content", actors)
    for name in ("templates", "static"):
        shutil.copytree(REPO / name, root / name)
    return root


@pytest.fixture
def example_site(tmp_path: Path) -> Path:
    """A copy of the repo's example content, templates and static files."""
    for name in ("content", "templates", "static"):
        shutil.copytree(REPO / name, tmp_path / name)
    return tmp_path


def one_language(site: Path, config: dict[str, Any]) -> None:
    """The example in its default language alone: translation files removed, each text by language its default's,
    `languages` taken out."""
    default = config.pop("languages", [config.get("language", "en")])[0]
    for path in (site / "content" / "issues").glob("*.*.md"):
        path.unlink()
    for name in ("actors.yaml", "events.yaml", "sources.yaml"):
        path = site / "content" / name
        entries = yaml.safe_load(path.read_text(encoding="utf-8"))
        for entry in entries.values():
            by_language = {key: text for key, text in entry.items() if isinstance(text, dict) and default in text}
            entry.update({key: text[default] for key, text in by_language.items()})  # not an `image:`
            for role in entry.get("roles") or []:  # a dated role's title, too
                role.update({key: text[default] for key, text in role.items() if isinstance(text, dict)})
        path.write_text(yaml.safe_dump(entries, allow_unicode=True), encoding="utf-8")
    config.update({key: text[default] for key, text in config.items() if isinstance(text, dict)})


def example_in_one_language(site: Path) -> None:
    """The example (copied to site) published in its default language alone: see one_language."""
    site_yaml = site / "content" / "site.yaml"
    config = yaml.safe_load(site_yaml.read_text(encoding="utf-8"))
    one_language(site, config)
    site_yaml.write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")


# A small explainer that exercises every kind of link. Tests break it on purpose;
# the line numbers in their expected messages count from these texts.
SITE: dict[str, str] = {
    "content/site.yaml": """
        title: Test explainer
        description: A small explainer for tests.
        base_url: https://example.org/
        updated: 2022-01
        """,
    "content/issues/nato-expansion.md": """
        ---
        title: Will NATO grow?
        summary: Russia wants a promise; NATO says no.
        order: 2
        status: deadlocked
        actors: [russia, nato]
        events: [talks]
        positions:
          russia: Wants a pledge, says [[putin]].
          nato: The door stays open.
        quotes:
          - by: putin
            text: Give us guarantees now.
            date: 2021-12
            source: ap
        sources: [ap]
        updated: 2022-01-10
        ---
        The talks in [[talks|Geneva]] were about this.

        See also [[missiles]].
        """,
    "content/issues/troops.md": """
        ---
        title: Will Russia pull back its troops?
        summary: Not yet.
        order: 1
        ---
        Only in code: `[[ukraine]]`.
        """,
    "content/issues/missiles.md": """
        ---
        title: Where can missiles go?
        summary: Both sides want limits.
        actors: [russia]
        ---
        [[ukraine]] worries too.
        """,
    "content/issues/arms-control.md": """
        ---
        title: Arms control
        summary: Treaties have lapsed.
        ---
        Body.
        """,
    "content/actors.yaml": """
        russia:
          name: Russia
          kind: country
        putin:
          name: Vladimir Putin
          kind: person
          member_of: [russia]
          summary: >-
            President of Russia, who
            distrusts [[nato]].
        nato:
          name: NATO
          kind: organization
        ukraine:
          name: Ukraine
          kind: country
        """,
    "content/events.yaml": """
        summit:
          title: Bucharest summit
          date: 2008
          issues: [nato-expansion]
          summary: Promised [[ukraine]] membership.
        buildup:
          title: Troops gather
          date: 2021-11
        talks:
          title: Geneva talks
          date: 2022-01-10
          actors: [russia]
        """,
    "content/sources.yaml": """
        ap:
          title: Explainer
          publisher: AP
          url: https://apnews.com/x
        """,
}


# SITE has likely mistakes (cards citing no sources, events naming no actors) that warn;
# these changes fix them, for tests of a build with no warnings at all.
CLEAN: dict[str, str | None] = {
    **{
        rel: "\n        sources: [ap]\n        ---\n".join(SITE[rel].rsplit("\n        ---\n", 1))
        for rel in ("content/issues/troops.md", "content/issues/missiles.md", "content/issues/arms-control.md")
    },
    "content/events.yaml": SITE["content/events.yaml"]
    .replace("date: 2008\n", "date: 2008\n          actors: [nato]\n")
    .replace("date: 2021-11\n", "date: 2021-11\n          actors: [russia]\n"),
}


def write_site(root: Path, changes: dict[str, str | None] | None = None) -> Path:
    """Write SITE under root with changes (path → text, or None to leave a file out)."""
    files = {**SITE, **(changes or {})}
    write_tree(root, {rel: text for rel, text in files.items() if text is not None})
    return root


def built_site(root: Path, changes: dict[str, str | None]) -> Path:
    """SITE with changes under root, built (`--no-search --no-cache`, which must succeed): its output folder."""
    write_site(root, changes)
    result = run_main(root, "--no-search", "--no-cache")
    assert result.returncode == 0, result.stderr
    return root / "output"


def words(tag: Tag) -> str:
    """A tag's text as a reader sees it: spaces between words as the HTML has them, runs of white space as one."""
    return " ".join(tag.get_text().split())


def edit(root: Path, rel: str, old: str, new: str) -> None:
    """Replace old (which must be there exactly once) with new in one file."""
    path = root / rel
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{old!r} not once in {rel}"
    path.write_text(text.replace(old, new), encoding="utf-8")


Snapshot = dict[str, tuple[bytes, int]]


def snapshot(folder: Path) -> Snapshot:
    """Every file under folder: its bytes and modification time in nanoseconds."""
    return {
        path.relative_to(folder).as_posix(): (path.read_bytes(), path.stat().st_mtime_ns)
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def tree(folder: Path) -> dict[str, bytes]:
    """Every file under folder: its bytes, by its path from folder."""
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def build_to(site: Path, output: str, *args: str) -> Path:
    """Build site into site/output (`--no-search --jobs 1` and args), which must succeed: the output folder."""
    result = run_main(site, "--no-search", "--jobs", "1", "--output", output, *args)
    assert result.returncode == 0, result.stderr
    return site / output


def links(page: Path) -> set[str]:
    """Every href on a page."""
    return {str(a["href"]) for a in soup(page).find_all("a", href=True)}


def dies_in_children(monkeypatch: pytest.MonkeyPatch, owner: Any, name: str) -> None:
    """owner.name, as a forked worker calls it, kills that worker (as the OOM killer would, mid-share); the
    process that set this up still calls the real one."""
    parent, real = os.getpid(), getattr(owner, name)

    def fails_in_a_child(*args: object) -> object:
        if os.getpid() != parent:
            os._exit(7)
        return real(*args)

    monkeypatch.setattr(owner, name, fails_in_a_child)
