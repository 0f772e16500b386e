"""`python build.py new issue|actor|event ID`: a valid skeleton to fill in."""

from __future__ import annotations

from pathlib import Path

from .diagnostics import Diagnostics
from .fields import suggest_id
from .load import load_content
from .model import Entity
from .refs import ID_RE
from .validate import validate

ISSUE = """\
---
title: {title}
summary: One or two plain sentences that answer the question.
status: open
draft: true  # remove this line to publish the card
actors: []
events: []
positions: {{}}
quotes: []
sources: []
---
Write the explainer here, in Markdown. Link to actors, events and other
issues with `[[id]]` or `[[id|label]]`.
"""

ACTOR = """\
{id}:
  name: {title}
  kind: person  # person, country, organization or group
  role: What they are, in a few words
  member_of: []
  summary: One or two sentences about who they are.
"""

EVENT = """\
{id}:
  title: {title}
  date: 2022-01-10  # YYYY, YYYY-MM or YYYY-MM-DD
  place: Where it happened
  actors: []
  issues: []
  summary: What happened, in a sentence or two.
  sources: []
"""

SKELETONS = {
    "issue": ("issues", ".md", ISSUE),
    "actor": ("actors", ".yaml", ACTOR),
    "event": ("events", ".yaml", EVENT),
}


class ScaffoldError(Exception):
    """The skeleton cannot be written (bad id, taken id, existing file)."""


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
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(template.format(id=new_id, title=title), encoding="utf-8")
    return path
