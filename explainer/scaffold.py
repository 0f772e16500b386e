"""`python build.py new issue|actor|event|source ID`: a skeleton to fill in; `init [DIR]`: a new explainer."""

from __future__ import annotations

from pathlib import Path

from . import placeholders as stock
from .diagnostics import Diagnostics
from .fields import suggest_id
from .load import load_content
from .model import Entity
from .refs import ID_RE
from .validate import validate

# The stock texts come from placeholders.py, which warns of each one a writer leaves in.
ISSUE = """\
---
title: {title}
summary: {summary}
status: open
{draft}actors: []
events: []
positions: {{}}
quotes: []
sources: []
---
{body} Link to actors, events and other
issues with `[[id]]` or `[[id|label]]`.
"""

DRAFT = "draft: true  # remove this line to publish the card\n"

ACTOR = """\
{id}:
  name: {title}
  kind: person  # person, country, organization or group
  role: {role}
  member_of: []
  summary: {summary}
"""

EVENT = """\
{id}:
  title: {title}
  date:  # when it happened: YYYY-MM-DD, YYYY-MM or YYYY (required)
  place: {place}
  actors: []
  issues: []
  summary: {summary}
  sources: []
"""

SOURCE = """\
{id}:
  title: {title}
  publisher: {publisher}
  url:  # where readers find it: https://...
  date:  # when it was published: YYYY-MM-DD, YYYY-MM or YYYY
"""

SKELETONS = {
    "issue": ("issues", ".md", ISSUE),
    "actor": ("actors", ".yaml", ACTOR),
    "event": ("events", ".yaml", EVENT),
    "source": ("sources", ".yaml", SOURCE),
}

STOCK = {
    "issue": {"summary": stock.ISSUE_SUMMARY, "body": stock.ISSUE_BODY, "draft": DRAFT},
    "actor": {"role": stock.ACTOR_ROLE, "summary": stock.ACTOR_SUMMARY},
    "event": {"place": stock.EVENT_PLACE, "summary": stock.EVENT_SUMMARY},
    "source": {"publisher": stock.SOURCE_PUBLISHER},
}

SITE = f"""\
# The explainer's settings; every field: docs/content-format.md
title: {stock.SITE_TITLE}
description: {stock.SITE_DESCRIPTION}
language: en
# Where the site will live; sitemap.xml, the feeds and canonical links need it:
# base_url: https://example.org/explainer/
"""

FACTS = {
    "actors": """\
# People, countries, organisations and groups, by id (docs/content-format.md).
# `python build.py new actor ID` writes one to fill in, or add them here:
#
# putin:
#   name: Vladimir Putin
#   kind: person  # person, country, organization or group
#   role: President of Russia
#   member_of: [russia]
#   summary: Russia's president since 2012.
""",
    "events": """\
# Dated events, by id (docs/content-format.md).
# `python build.py new event ID` writes one to fill in, or add them here:
#
# geneva-talks:
#   title: Russia and the US meet in Geneva
#   date: 2022-01-10  # YYYY-MM-DD, YYYY-MM or YYYY
#   place: Geneva
#   actors: [russia, usa]
#   issues: [nato-expansion]
#   summary: Eight hours of talks, no breakthrough.
#   sources: [ap-explainer]
""",
    "sources": """\
# The sources the explainer cites, by id (docs/content-format.md).
# `python build.py new source ID` writes one to fill in, or add them here:
#
# ap-explainer:
#   title: "Main issues at Russia-US security talks"
#   publisher: The Associated Press
#   url: https://apnews.com/article/...
#   date: 2022-01-10
""",
}

SAMPLE_ID = "sample-issue"


class ScaffoldError(Exception):
    """The skeleton or the new explainer cannot be written (bad id, taken id, existing file)."""


def existing_ids(content: Path) -> dict[str, str]:
    """Every id the content already defines, with the file that defines it."""
    diags = Diagnostics()
    records = validate(load_content(content, diags), diags)
    everything: list[Entity] = [*records.issues, *records.actors, *records.events, *records.sources]
    return {entity.id: entity.path for entity in everything}


def create(content: Path, kind: str, new_id: str) -> Path:
    """Write the skeleton for kind with new_id; return its path."""
    if not ID_RE.fullmatch(new_id):
        fixed = suggest_id(new_id)
        hint = f", e.g. '{fixed}'" if fixed else ""
        raise ScaffoldError(f"bad id '{new_id}': use lower-case letters and digits joined by hyphens{hint}")
    folder, suffix, template = SKELETONS[kind]
    path = content / folder / f"{new_id}{suffix}"
    if path.exists():
        raise ScaffoldError(f"{path.as_posix()} already exists; not overwriting it")
    taken = existing_ids(content) if content.is_dir() else {}
    if new_id in taken:
        raise ScaffoldError(f"the id '{new_id}' is already used in {taken[new_id]}")
    title = new_id.replace("-", " ").capitalize()
    write_file(path, template.format(id=new_id, title=title, **STOCK[kind]))
    return path


def write_file(path: Path, text: str) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    except OSError as error:  # a folder that is a file, or not writable: the user's to fix, not a bug
        raise ScaffoldError(f"cannot write {path.as_posix()}: {error.strerror}") from None


def starter_files() -> dict[str, str]:
    """What `init` writes, by path under the new folder: settings, empty facts files and one sample card,
    published (not a draft) so the first build shows a page, its stock texts warned of until replaced."""
    card = ISSUE.format(title=stock.ISSUE_TITLE, summary=stock.ISSUE_SUMMARY, body=stock.ISSUE_BODY, draft="")
    return {
        "content/site.yaml": SITE,
        **{f"content/{kind}.yaml": text for kind, text in FACTS.items()},
        f"content/issues/{SAMPLE_ID}.md": card,
    }


def init(folder: Path) -> list[Path]:
    """Start a new explainer in folder; return the files written. Writes nothing if any of them exists."""
    files = {folder / rel: text for rel, text in starter_files().items()}
    taken = [path.as_posix() for path in files if path.exists()]
    if taken:
        raise ScaffoldError(f"not overwriting {', '.join(taken)}: start the new explainer in another folder")
    for path, text in files.items():
        write_file(path, text)
    return list(files)
