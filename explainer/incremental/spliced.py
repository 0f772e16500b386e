"""The view files after a build whose only changes are what issue cards show of themselves (cardedits.py):
data/explainer.json is the last build's file with each edited issue's entry replaced, instead of every record
dumped again (0.3 to 0.6 s at 5,000 cards), and each other view file is the last build's unless it shows what
changed (incremental/kept.py says what each reads).

An entry is compact JSON of one record, holding its id: it occurs once in the file, and never inside a JSON
string, whose quotes are escaped. Its bytes before the edit are made again from the issue as it was (the
relations and URLs it shows are unchanged: its links are), found in the old file and replaced. If an entry is
not found exactly once, the file is made in full.
"""

from __future__ import annotations

from collections.abc import Mapping

from ..hostfiles import absolute_base
from ..link import Site
from ..model import Issue
from ..views.export import Exporter, encoded
from ..views.feeds import issue_feed, issue_feed_path, updates_feed
from ..views.files import feed_facts, preview_facts, previews_file, url, views_but_export


def spliced_export(site: Site, before: Mapping[str, Issue], old: bytes) -> bytes | None:
    """The export of site from old, the last build's, whose issues were before (by id); None if it cannot."""
    exporter = Exporter(site, url)
    now = {issue.id: issue for issue in site.issues if issue.id in before}
    data = old
    for issue_id, issue in before.items():
        if issue_id not in now:
            continue  # a draft: not in the export
        was, new = encoded(exporter.issue(issue)), encoded(exporter.issue(now[issue_id]))
        at = data.find(was)
        if at < 0 or data.find(was, at + 1) >= 0:
            return None
        data = data[:at] + new + data[at + len(was) :]
    return data


def edited_views(site: Site, before: Mapping[str, Issue], base_url: str,
                 old_export: bytes) -> tuple[list[str], dict[str, bytes]] | None:  # fmt: skip
    """The view files to keep from the last build, and the others made again, when the issues in before (by id,
    as they were) changed only in what they show of themselves; None when the export cannot be spliced."""
    export = spliced_export(site, before, old_export)
    if export is None:
        return None
    made = {"data/explainer.json": export}
    now = [issue for issue in site.issues if issue.id in before]
    if any(preview_facts(issue) != preview_facts(before[issue.id]) for issue in now):
        made["data/previews.json"] = previews_file(site)
    base = absolute_base(base_url)
    fed = [issue for issue in now if feed_facts(issue) != feed_facts(before[issue.id])]
    if base and fed:
        made["updates.xml"] = updates_feed(site.config, site.issues, base)
        for issue in fed:
            made[issue_feed_path(issue)] = issue_feed(site.config, issue, base)
    return [path for path in views_but_export(site, base_url) if path not in made], made
