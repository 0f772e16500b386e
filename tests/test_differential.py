"""Issue 16's oracle: a cached build and a running serve equal a clean build, byte for byte, after seeded random
edits of every kind of input (tests/difftest.py has the edits and the comparisons).

The default run is three sequences of 25 steps (about two minutes). A longer run:
    EXPLAINER_DIFF_SEEDS=1,2,3,4 EXPLAINER_DIFF_STEPS=500 python -m pytest tests/test_differential.py
or `python bench/differential.py --help` (many seeds, a log, edit-kind counts). A failure names its seed, step and
edits, and the command that replays it.
"""

from __future__ import annotations

import os
from collections import Counter
from pathlib import Path
from typing import Any

import difftest
import pytest
from difftest import Mismatch, config, dry_run, edit_kinds, missing_generators, run_sequence

from explainer.incremental import memory
from explainer.parallel import pagepool
from explainer.reads import CURRENT, Watched

DEFAULT_SEEDS = (1, 2, 3)
DEFAULT_STEPS = 32  # every kind of edit is applied over the default seeds (test below)


def seeds() -> list[int]:
    chosen = os.environ.get("EXPLAINER_DIFF_SEEDS")
    return [int(s) for s in chosen.split(",")] if chosen else list(DEFAULT_SEEDS)


STEPS = int(os.environ.get("EXPLAINER_DIFF_STEPS", DEFAULT_STEPS))


def test_every_field_has_an_edit_generator() -> None:
    """A field added to a `*_FIELDS` tuple of validate.py or parties.py fails here until difftest.VALUES can make
    a value for it (and the differential run then edits it)."""
    assert not missing_generators(), f"no value generator in tests/difftest.py VALUES for {missing_generators()}"


def test_the_default_run_applies_every_kind_of_edit(tmp_path: Path) -> None:
    """The edits depend on the seed alone, so the default run's can be listed without building anything."""
    applied: Counter[str] = Counter()
    for seed in DEFAULT_SEEDS:
        applied += dry_run(seed, DEFAULT_STEPS, tmp_path / str(seed))
    assert not set(edit_kinds()) - set(applied), f"never applied: {sorted(set(edit_kinds()) - set(applied))}"


@pytest.mark.parametrize("seed", seeds())
def test_cached_build_and_serve_equal_clean_builds_after_every_edit(tmp_path: Path, seed: int) -> None:
    jobs, swap = config(seed)
    run_sequence(seed, STEPS, tmp_path, jobs=jobs, swap=swap)


# The test has teeth: a cache that leaves out one input of a page (here by a patched key function) is caught.


def mismatch(tmp_path: Path, kinds: list[str], steps: int, **options: Any) -> str:
    with pytest.raises(Mismatch) as caught:
        run_sequence(7, steps, tmp_path, jobs="1", kinds=kinds, **options)
    assert "seed 7, step " in str(caught.value) and "replay: python bench/differential.py --seed 7" in str(caught.value)
    return str(caught.value)


@pytest.mark.parametrize("kinds", [["template-edit"], ["site.title"], ["actor.role"]])
def test_the_same_edits_pass_without_the_patches_below(tmp_path: Path, kinds: list[str]) -> None:
    run_sequence(7, 2, tmp_path, jobs="1", kinds=kinds)


def test_a_page_key_without_the_templates_is_caught(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    key = pagepool.render_key
    monkeypatch.setattr(
        pagepool, "render_key", lambda renderer, templates, store: key(renderer, Path("/nowhere"), store)
    )
    found = mismatch(tmp_path, ["template-edit"], 2, serve=False)
    assert "cached build ≠ clean build" in found


def test_a_page_key_without_the_site_config_is_caught(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    key = pagepool.render_key

    def without_config(renderer: Any, templates: Path, store: Any) -> bytes:
        config, data = renderer.env.globals["site"], store.site_data
        renderer.env.globals["site"], store.site_data = None, b""
        try:
            return key(renderer, templates, store)
        finally:
            renderer.env.globals["site"], store.site_data = config, data

    monkeypatch.setattr(pagepool, "render_key", without_config)
    found = mismatch(tmp_path, ["site.title"], 2, serve=False)
    assert "cached build ≠ clean build" in found


def test_a_read_left_unrecorded_is_caught(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every read of an actor's `role` left out of what pages read (reads.py): a role edit keeps the actor's
    stale page, in build and in serve."""
    get = Watched.__get__

    def unrecorded(self: Watched, obj: Any, owner: type | None = None) -> Any:
        if self.name != "role" or obj is None:
            return get(self, obj, owner)
        token = CURRENT.set(None)
        try:
            return get(self, obj, owner)
        finally:
            CURRENT.reset(token)

    monkeypatch.setattr(Watched, "__get__", unrecorded)
    # roles written once: a role by language changes texts in other languages too, which makes the change unknown
    # (every page compared again), so no page would be kept for the unrecorded read to be caught in
    monkeypatch.setitem(difftest.VALUES["actor"], "role", difftest.optional(difftest.prose))
    found = mismatch(tmp_path, ["actor.role"], 3, serve=False)
    assert "cached build ≠ clean build" in found and "actors/" in found
    found = mismatch(tmp_path / "serve", ["actor.role"], 3, build=False)
    assert "running serve ≠ freshly started serve" in found and "actors/" in found


def test_serve_keeping_pages_across_a_template_edit_is_caught(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(memory, "folder_stamp", lambda folder: ())
    found = mismatch(tmp_path, ["template-edit"], 2, build=False)
    assert "running serve ≠ freshly started serve" in found


def test_catalogue_edits_and_language_changes_equal_clean_builds(tmp_path: Path) -> None:
    """A site's own .po files (content/i18n/) and `language:` reach every page and view file: a cached build and
    serve stay byte-identical to a clean build as they change."""
    run_sequence(11, 8, tmp_path, jobs="1", kinds=["catalogue-edit", "catalogue-", "site.language"])

