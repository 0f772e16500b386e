"""The shipped example explainer builds, and every internal link in it resolves."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import unquote, urlsplit

from conftest import run_build, soup


def internal_targets(output: Path) -> list[tuple[Path, str]]:
    links = []
    for page in sorted(output.rglob("*.html")):
        for tag in soup(page).find_all(["a", "link"], href=True):
            href = tag["href"]
            if not urlsplit(href).scheme and not href.startswith("//"):
                links.append((page, href))
    return links


def resolve(output: Path, page: Path, href: str) -> tuple[Path, str]:
    parts = urlsplit(href)
    if parts.path.startswith("/"):
        target = output / unquote(parts.path).lstrip("/")
    elif parts.path:
        target = page.parent / unquote(parts.path)
    else:
        target = page
    if target.is_dir():
        target = target / "index.html"
    return target, parts.fragment


def test_example_builds_and_every_internal_link_resolves(example_site: Path) -> None:
    result = run_build(example_site)
    assert result.returncode == 0, result.stderr
    output = example_site / "output"
    links = internal_targets(output)
    assert len(links) > 200
    broken = []
    for page, href in links:
        target, fragment = resolve(output, page, href)
        if not target.exists():
            broken.append(f"{page.relative_to(output)}: {href}")
        elif fragment and not soup(target).find(id=fragment):
            broken.append(f"{page.relative_to(output)}: {href} (no #{fragment})")
    assert broken == []
