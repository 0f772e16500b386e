"""data/explainer.json after a build whose only changes are issue bodies (bodyedits.py): the last build's
file with each edited issue's entry replaced, instead of every record dumped again (0.3 to 0.6 s at 5,000
cards).

An entry is compact JSON of one record, holding its id: it occurs once in the file, and never inside a JSON
string, whose quotes are escaped. Its bytes before the edit are made again from the issue as it was (the
relations and URLs it shows are unchanged: only bodies changed), found in the old file and replaced. If an
entry is not found exactly once, the file is made in full.
"""

from __future__ import annotations

from collections.abc import Mapping

from ..link import Site
from ..model import Issue
from .export import Exporter, encoded
from .files import url


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
