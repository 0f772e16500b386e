"""Issue 15, item 5: a cached build after an edit of content/site.yaml equals a clean build, byte for byte.

Every field the validator accepts is edited in turn (each optional one also removed and added again) in a copy
of the example, and after each edit a cached build into the same output folder as the last one is compared
with a `--no-cache` build into a fresh folder: every file's name and bytes. Some steps also edit an issue card,
alone or with site.yaml, so the shortcuts for card edits (the change model of incremental/changes.py, the
export splice, the in-place writer) run after a site.yaml edit too. `--no-search`: Pagefind's bundle is not
byte-stable between two clean builds.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from typing import Any

import yaml
from conftest import REPO, one_language, run_main, tree

from explainer.siteconfig import SITE_FIELDS

REMOVE = object()  # the field is taken out of site.yaml
CARD = "content/issues/arms-control.md"

# (field, new value or REMOVE), applied in this order, each to the site.yaml the step before left.
# "card" edits the body of an issue card instead: the edit after it then follows a card-only build.
STEPS: list[tuple[str, Any]] = [
    ("title", "Russia and the West: the January 2022 talks"),
    ("description", "What Moscow wants from Washington and NATO, and where the talks stand."),
    ("subtitle", "Who wants what, in plain words"),
    ("subtitle", REMOVE),
    ("card", "Possibly, say both sides."),
    ("subtitle", "Back again"),
    ("title", {"en": "Russia and the West", "es": "Rusia y Occidente"}),  # texts by language (`languages: [en, es]`)
    ("title", {"en": "Russia and the West", "es": "Rusia frente a Occidente"}),  # the Spanish text alone
    ("description", {"en": "Where the talks stand.", "es": "En qué punto están las conversaciones."}),
    ("subtitle", {"en": "In plain words", "es": "En palabras sencillas"}),
    ("subtitle", {"en": "In plain words"}),
    ("one-language", None),  # translations and texts by language out, so the default language may change
    ("language", "en-GB"),
    ("language", REMOVE),
    ("language", "fr"),
    ("languages", ["fr", "es", "fa"]),
    ("languages", REMOVE),
    ("languages", ["fr"]),
    ("base_url", "https://news.example.com/explainers/russia/"),
    ("base_url", REMOVE),
    ("base_url", "https://example.org/"),
    ("updated", "2022-01-12"),
    ("updated", REMOVE),
    ("updated", "2022-01"),
    ("authors", ["Explainer desk", "Jane Doe"]),
    ("authors", REMOVE),
    ("card", "Possibly, say both sides once more."),
    ("authors", ["A. Writer"]),
    ("authors", [{"name": "Explainer desk", "kind": "organization", "url": "https://news.example.com/desk/"}]),
    ("publisher", "Example News"),
    (
        "publisher",
        {"name": "Example News", "url": "https://news.example.com/", "logo": "https://news.example.com/l.png"},
    ),
    ("publisher", REMOVE),
    ("smart_quotes", False),
    ("smart_quotes", REMOVE),
    ("smart_quotes", False),
    ("allow_html", True),
    ("allow_html", False),
    ("allow_html", REMOVE),
    ("map_agreement", 1),  # the example's single shared stances become sides on the map
    ("map_agreement", REMOVE),
    ("map_agreement", 3),
]


def build(site: Path, output: str, *args: str) -> tuple[dict[str, bytes], str]:
    result = run_main(site, "--no-search", "--jobs", "1", "--output", output, *args)
    assert result.returncode == 0, result.stderr
    return tree(site / output), result.stdout


def unchanged_files(stdout: str) -> int:
    found = re.search(r"(\d+) unchanged", stdout)
    assert found, stdout
    return int(found.group(1))


def apply(site: Path, config: dict[str, Any], field: str, value: Any) -> None:
    if field == "card":  # the last paragraph of the card's body, a shown-only (body-only) edit
        card = site / CARD
        text = card.read_text(encoding="utf-8")
        card.write_text(text.rstrip("\n").rsplit("\n", 1)[0] + f"\n{value}\n", encoding="utf-8")
        return
    if field == "one-language":
        one_language(site, config)
    elif value is REMOVE:
        del config[field]
    else:
        config[field] = value
    (site / "content" / "site.yaml").write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")


def test_every_site_yaml_field_is_covered_by_the_steps() -> None:
    """A field the validator accepts later fails here until the steps above edit it (and remove and add it)."""
    original = yaml.safe_load((REPO / "content" / "site.yaml").read_text(encoding="utf-8"))
    for field in SITE_FIELDS:
        values = [value for name, value in STEPS if name == field]
        assert any(value is not REMOVE for value in values), f"no step edits {field}"
        if field in ("title", "description"):  # required
            continue
        assert REMOVE in values, f"no step removes {field}"
        after_removal = values[values.index(REMOVE) + 1 :]
        added = field not in original or any(value is not REMOVE for value in after_removal)
        assert added, f"no step adds {field} to a site.yaml without it"


def test_a_cached_build_after_each_site_yaml_edit_equals_a_clean_build(example_site: Path) -> None:
    config = yaml.safe_load((example_site / "content" / "site.yaml").read_text(encoding="utf-8"))
    build(example_site, "cached")
    for step, (field, value) in enumerate(STEPS):
        apply(example_site, config, field, value)
        cached, stdout = build(example_site, "cached")
        clean, _ = build(example_site, f"clean-{step}", "--no-cache")
        shutil.rmtree(example_site / f"clean-{step}")
        differ = sorted(p for p in cached.keys() | clean.keys() if cached.get(p) != clean.get(p))
        assert not differ, f"step {step}, {field} → {value!r}: the cached build differs in {differ[:8]}"
        if field == "card":  # the cache is in use: a body edit keeps nearly every file
            assert unchanged_files(stdout) > len(cached) // 2, stdout
