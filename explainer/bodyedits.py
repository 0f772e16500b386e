"""Whether everything a cached `build` finds changed since the last one is the Markdown body of issue cards.

The commonest edit is a card's text. When every changed file is an issue card
whose record equals the last build's in every field but its body, and whose
body links to the same ids (`relink.body_only`, the test `serve` swaps issues
by), link() gives the same site but for those issues: every page context that
holds none of them is equal to the last build's, so its key is too. Such a
page keeps the key the cache holds for it, without its context being made and
digested again (`parallel.render_all`); the pages that hold an edited issue
(its own page, the home page, its actors' pages ...) are keyed and rendered as
ever. Any other change (a file added, removed or of another kind, front
matter, a diagnostic on an edited card before or now, other settings) answers
None: every page is keyed.
"""

from __future__ import annotations

from .buildcache import BuildStore
from .diagnostics import Diagnostics
from .load import Document
from .model import Issue
from .relink import body_only
from .validate import Records, validate


def body_edits(store: BuildStore, earlier: tuple[bytes, dict[str, Document]] | None, records: Records,
               diags: Diagnostics) -> dict[str, Issue] | None:  # fmt: skip
    """The issues whose bodies alone changed since the last build, as they were then, by id, if that is every
    change (the same inputs give {}); else None. earlier: StoredDocuments.earlier()."""
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
    edited = {}
    for doc in changed.values():
        own = Diagnostics()
        before = validate([doc], own).issues
        if own.items or len(before) != 1 or doc.path not in now or not body_only(before[0], now[doc.path]):
            return None
        edited[before[0].id] = before[0]
    if len(now) != len(paths) or sum(issue.path in paths for issue in records.issues) != len(paths):
        return None  # a card now holds more than one record (which validate would have reported)
    return edited
