"""`check --external` on sources (against a local server, never the internet) and `check --snapshot-list`."""

from __future__ import annotations

from pathlib import Path

from conftest import run_main, write_site
from test_publish import served  # noqa: F401  (a fixture: a real HTTP server on 127.0.0.1)


def sources(address: str) -> str:
    return f"""
        ap:
          title: Explainer
          url: {address}there.html
        gone-kept:
          title: Gone, with a snapshot
          url: {address}gone.html
          archived: {address}snapshot.html
        gone:
          title: Gone, with none
          url: {address}gone-too.html
        lost-twice:
          title: Gone, and its snapshot too
          url: {address}lost.html
          archived: {address}lost-snapshot.html
        """


def test_check_external_reports_unreachable_sources_and_their_snapshots(
    tmp_path: Path, served: tuple[Path, str]  # noqa: F811
) -> None:
    www, address = served
    (www / "there.html").write_text("ok")
    (www / "snapshot.html").write_text("kept")
    site = write_site(tmp_path / "site", {"content/sources.yaml": sources(address)})
    listed = tmp_path / "to-archive.txt"
    done = run_main(site, "check", "--external", "--snapshot-list", str(listed))
    assert done.returncode == 1
    problems = [line for line in done.stderr.splitlines() if "content/sources.yaml" in line and ": error: " in line]
    assert problems == [
        f"content/sources.yaml:4: error: source 'gone-kept' is unreachable: {address}gone.html: HTTP 404; "
        f"readers get its archived copy: {address}snapshot.html",
        f"content/sources.yaml:8: error: source 'gone' is unreachable: {address}gone-too.html: HTTP 404; "
        "no archived copy: add 'archived:' with a snapshot's address (--snapshot-list FILE lists them)",
        f"content/sources.yaml:11: error: source 'lost-twice' is unreachable: {address}lost.html: HTTP 404; "
        f"its archived copy is unreachable too: {address}lost-snapshot.html: HTTP 404",
    ]
    assert f"external link {address}gone.html" not in done.stderr  # said once, of the source
    assert listed.read_text() == f"{address}gone-too.html\n{address}there.html\n"


def test_the_snapshot_list_needs_no_network(tmp_path: Path) -> None:
    site = write_site(tmp_path / "site", {"content/sources.yaml": sources("https://unreachable.invalid/")})
    listed = tmp_path / "to-archive.txt"
    done = run_main(site, "check", "--snapshot-list", str(listed))
    assert done.returncode == 0, done.stderr
    assert listed.read_text() == "https://unreachable.invalid/gone-too.html\nhttps://unreachable.invalid/there.html\n"


def test_a_snapshot_list_that_cannot_be_written_is_a_problem(tmp_path: Path) -> None:
    site = write_site(tmp_path / "site")
    done = run_main(site, "check", "--snapshot-list", str(tmp_path / "no-folder" / "list.txt"))
    assert done.returncode == 1
    assert f"{tmp_path}/no-folder/list.txt: error: cannot write the snapshot list: No such file or directory" in (
        done.stderr
    )
