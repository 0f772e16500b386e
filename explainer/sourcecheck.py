"""What `check` says of the sources: with `--external`, each source whose address does not answer and whether it
keeps an archived copy; with `--snapshot-list FILE`, the addresses of the sources without one, for an archiving
service. The build itself never fetches anything."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from .diagnostics import Diagnostics
from .load import listed_files, load_listed
from .model import Source
from .validate import validate


def declared_sources(content: Path) -> list[Source]:
    """Every source the content declares, in file and line order (the build has reported any mistakes)."""
    diags = Diagnostics()
    records = validate(load_listed(listed_files(content, diags), diags), diags)
    return sorted(records.sources, key=lambda s: (s.path, s.line, s.id))


def addresses(sources: Iterable[Source]) -> set[str]:
    """The addresses check --external fetches for the sources: each url and each snapshot."""
    return {url for s in sources for url in (s.url, s.archived) if url}


def snapshot_list(sources: list[Source]) -> str:
    """The url of each source without an `archived` copy, one a line, sorted, each once."""
    urls = sorted({s.url for s in sources if s.url and not s.archived})
    return "".join(f"{url}\n" for url in urls)


def source_problems(sources: list[Source], failures: dict[str, str]) -> list[str]:
    """`path:line: error: …` for each source whose url failed (failures: address → why), saying whether it keeps
    an archived copy and whether that answers."""
    problems = []
    for source in sources:
        failure = failures.get(source.url or "")
        if failure is None:
            continue
        where = f"{source.path}:{source.line}: error: source '{source.id}' is unreachable: {source.url}: {failure}"
        if not source.archived:
            fallback = "no archived copy: add 'archived:' with a snapshot's address (--snapshot-list FILE lists them)"
        elif source.archived in failures:
            fallback = f"its archived copy is unreachable too: {source.archived}: {failures[source.archived]}"
        else:
            fallback = f"readers get its archived copy: {source.archived}"
        problems.append(f"{where}; {fallback}")
    return problems
