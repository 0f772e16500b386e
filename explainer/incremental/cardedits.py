"""Whether everything a cached `build` finds changed since the last one is what issue cards show of themselves.

The commonest edits are a card's text: its Markdown body, its summary, a
side's position, a quote, a figure, a change note. When every changed file is
an issue card whose record, as the last successful build read it, differs from
the new one only in those values (`relink.shown_only`: the same title, order,
lists of ids and links out), link() gives the same site but for those issues,
and plan() makes every page that does not hold one of them from the same
values: its context is equal to the last build's, so its key is too. Such a
page keeps the key the cache holds for it, without its context being made and
digested again (`pagepool.render_all`); the pages that hold an edited issue
(its own page, the home page, its actors' pages ...) render, except, when
only bodies changed (`relink.body_only`), those whose templates read none of
the edited bodies (BodyReads). Any other change (a file added, removed or of
another kind, a title or a list of ids, a diagnostic on an edited card before
or now, other settings) answers None: every page is keyed.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..diagnostics import Diagnostics
from ..load import Document
from ..model import Issue
from ..validate import Records, validate
from .buildcache import BuildStore
from .relink import body_only, shown_only


@dataclass(frozen=True, slots=True)
class Edit:
    before: Issue  # as the last build read it
    after: Issue

    @property
    def body_only(self) -> bool:
        return body_only(self.before, self.after)


def card_edits(store: BuildStore, earlier: tuple[bytes, dict[str, Document]] | None, records: Records,
               diags: Diagnostics) -> dict[str, Edit] | None:  # fmt: skip
    """The issues edited since the last build in what they show alone, by id, if that is every change (the
    same inputs give {}); else None. earlier: StoredDocuments.earlier()."""
    if (
        earlier is None
        or store.summary is None
        or earlier[0] != store.last_documents  # the stored files are not the ones the last build's pages show
        or store.settings != store.last_settings
    ):
        return None
    changed = earlier[1]
    if any(doc.kind != "issue" for doc in changed.values()):
        return None
    paths = {doc.path for doc in changed.values()}
    if any(d.path in paths for d in (*store.summary[1], *diags.items)):
        return None
    now = {issue.path: issue for issue in records.issues if issue.path in paths}
    edits = {}
    for doc in changed.values():
        own = Diagnostics()
        before = validate([doc], own, records.site.smart_quotes if records.site else True).issues
        if own.items or len(before) != 1 or doc.path not in now or not shown_only(before[0], now[doc.path]):
            return None
        edits[before[0].id] = Edit(before[0], now[doc.path])
    if len(now) != len(paths) or sum(issue.path in paths for issue in records.issues) != len(paths):
        return None  # a card now holds more than one record (which validate would have reported)
    return edits
