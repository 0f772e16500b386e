"""The build cache's input stamps (digests.FileDigests): a cached build reads only the input files whose stat
changed since the last build stamped them, and never misses an edit that keeps a file's size and mtime."""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

import pytest
from conftest import build_to, generated_site, soup, tree

from explainer.incremental import digests
from explainer.incremental.digests import RACY_NS, FileDigests, digest

SECOND = 1_000_000_000


def stamp_of(path: Path, content: bytes) -> digests.FileStamp:
    info = path.stat()
    return info.st_size, info.st_mtime_ns, info.st_ctime_ns, info.st_ino, content


def test_a_file_stamped_long_enough_after_it_was_written_is_not_read(tmp_path: Path) -> None:
    file = tmp_path / "card.md"
    file.write_bytes(b"one")
    later = file.stat().st_ctime_ns + RACY_NS + SECOND  # the stamps were taken well after the file was written
    stored = FileDigests({str(file): stamp_of(file, b"stored")}, later)
    assert stored(str(file)) == b"stored" and stored.read == 0  # trusted: the stamp's digest, the file unread
    assert stored.stamps[str(file)] == stamp_of(file, b"stored")  # kept for the next build


def test_a_file_written_in_the_tick_its_stamp_was_taken_is_read_again(tmp_path: Path) -> None:
    """git's racy rule: the last build read the file, then it was rewritten with the same size within the same
    timestamp tick, so its stat is the stamp's; as it is not older than the stamp's moment, it is read."""
    file = tmp_path / "card.md"
    file.write_bytes(b"two")
    info = file.stat()
    racy = FileDigests({str(file): stamp_of(file, b"stale")}, max(info.st_mtime_ns, info.st_ctime_ns))
    assert racy(str(file)) == digest(b"two") and racy.read == 1
    assert racy.taken >= info.st_mtime_ns  # this build's moment: the next build reads it again if still racy


def test_a_restored_mtime_does_not_hide_an_edit_as_the_ctime_moves(tmp_path: Path) -> None:
    file = tmp_path / "card.md"
    file.write_bytes(b"abc")
    before = file.stat()
    stamp = stamp_of(file, digest(b"abc"))
    time.sleep(0.01)
    file.write_bytes(b"xyz")  # same size
    os.utime(file, ns=(before.st_atime_ns, before.st_mtime_ns))  # mtime put back
    later = time.time_ns() + RACY_NS + SECOND
    assert FileDigests({str(file): stamp}, later)(str(file)) == digest(b"xyz")


@pytest.fixture
def site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A small generated site; stamps trusted as soon as they are taken (no margin), so that the second build
    reads from the stamps without waiting two seconds."""
    monkeypatch.setattr(digests, "RACY_NS", 0)
    return generated_site(tmp_path, 6)


def reference(site: Path) -> dict[str, bytes]:
    shutil.rmtree(site / "reference", ignore_errors=True)
    return tree(build_to(site, "reference", "--no-cache"))


def heading_of(output: Path) -> list[str]:
    page = soup(output / "issues" / "issue-00001" / "index.html")
    return [h.get_text(" ", strip=True) for h in page.select("main h2")]


def test_a_same_size_edit_with_its_mtime_restored_is_built(site: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    card = site / "content" / "issues" / "issue-00001.md"
    build_to(site, "out")  # stamps every input
    reads: list[str] = []
    real = open

    def opened(file: str, *args: object, **kwargs: object) -> object:  # how FileDigests reads a file
        if "content" in Path(file).parts:
            reads.append(Path(file).name)
        return real(file, *args, **kwargs)

    monkeypatch.setattr(digests, "open", opened, raising=False)
    build_to(site, "out")  # nothing changed: no input file is read
    assert reads == []
    before = card.stat()
    text = card.read_text(encoding="utf-8")
    assert "## What is at stake\n" in text
    card.write_text(text.replace("## What is at stake\n", "## What is at STAKE\n", 1), encoding="utf-8")
    os.utime(card, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert card.stat().st_size == before.st_size and card.stat().st_mtime_ns == before.st_mtime_ns
    output = build_to(site, "out")
    assert reads == ["issue-00001.md"]  # only the card whose ctime moved
    assert "What is at STAKE" in heading_of(output)
    monkeypatch.undo()
    assert tree(output) == reference(site)


def test_a_build_right_after_a_same_size_edit_sees_it(tmp_path: Path) -> None:
    """With the real margin: the edit lands within the second of the last build's stamps."""
    site = generated_site(tmp_path, 6)
    card = site / "content" / "issues" / "issue-00001.md"
    build_to(site, "out")
    text = card.read_text(encoding="utf-8")
    card.write_text(text.replace("## What is at stake\n", "## What is at STAKE\n", 1), encoding="utf-8")
    output = build_to(site, "out")
    assert "What is at STAKE" in heading_of(output)
    assert tree(output) == reference(site)
