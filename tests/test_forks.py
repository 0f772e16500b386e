"""Issue 16: one fork helper (explainer/parallel/forks.py). A job's data reaches the forked children by
inheritance, never through a module-level slot the parent fills, so two jobs at once never see each other's
data; the children take signals quietly; a child that dies is reported, not waited for."""

from __future__ import annotations

import os
import signal
import threading
from pathlib import Path

import pytest
from conftest import generated_site

from explainer.parallel import forks

pytestmark = pytest.mark.skipif(not forks.can_fork(), reason="needs fork")


def test_workers_run_an_unpicklable_closure_in_order_and_leave_the_parent_nothing() -> None:
    lock = threading.Lock()  # a pool that pickled the job would fail on it

    def work(item: int) -> tuple[int, int, bool, object]:
        with lock:
            return item * item, os.getpid(), os.getpid() == parent, signal.getsignal(signal.SIGINT)

    parent = os.getpid()
    with forks.Workers(work, 2, runs_per_worker=1) as workers:  # a fresh fork for every item
        done = list(workers.imap(range(12)))
    assert [square for square, *_ in done] == [i * i for i in range(12)]
    assert len({pid for _, pid, _, _ in done}) >= 3  # the replacements forked later inherited the work too
    assert not any(here for _, _, here, _ in done)
    assert {handler for *_, handler in done} == {signal.SIG_IGN}  # quiet_child ran first: Ctrl-C is the parent's
    assert forks._ADOPTED == []  # the parent keeps no reference to the job


def test_two_pools_at_once_each_run_their_own_work() -> None:
    def first_job(n: int) -> tuple[str, int]:
        return "a", n

    def second_job(n: int) -> tuple[str, int]:
        return "b", n

    with forks.Workers(first_job, 2, runs_per_worker=1) as a:
        first = a.imap(range(8))
        assert next(first) == ("a", 0)
        with forks.Workers(second_job, 2, runs_per_worker=1) as b:
            assert list(b.imap(range(4))) == [("b", n) for n in range(4)]
            assert list(first) == [("a", n) for n in range(1, 8)]  # a's replacements forked while b ran


def test_a_child_hands_back_its_result_or_what_it_raised_or_that_it_died() -> None:
    data = threading.Lock()  # inherited, not pickled
    assert forks.Child(lambda: (data.locked(), os.getpid())).result()[1] != os.getpid()

    def fails() -> None:
        raise ValueError("bad share")

    with pytest.raises(ValueError, match="bad share"):
        forks.Child(fails).result()
    with pytest.raises(forks.ChildDied):
        forks.Child(lambda: os._exit(7)).result()


@pytest.mark.parametrize("jobs", [1, 2])
def test_two_page_renders_at_once_each_render_their_own_pages(
    tmp_path: Path, jobs: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two streams of page batches interleaved (page workers of the second forked, and the first's replaced,
    while both run): each writes its own pages, the bytes one process renders. With the job in a module-level
    slot, the first stream's later runs rendered the second's pages."""
    monkeypatch.setattr(forks, "RUNS_PER_WORKER", 2)  # workers replaced while the other stream runs
    from explainer.diagnostics import Diagnostics
    from explainer.link import link
    from explainer.load import load_content
    from explainer.pages import plan
    from explainer.parallel import pagepool
    from explainer.render import Renderer
    from explainer.validate import validate
    from explainer.write import Staging

    root = generated_site(tmp_path, 40)
    diags = Diagnostics()
    site = link(validate(load_content(root / "content", diags), diags), diags)
    assert site is not None and not diags.has_errors()
    renderer = Renderer(site, root / "templates", None, {}, False, diags)
    pages = plan(site)
    jobs_pages = {"a": pages, "b": list(reversed(pages[:60]))}
    expected = {page.output_path: renderer.render(page).encode("utf-8") for page in pages}
    written: dict[str, set[str]] = {"a": set(), "b": set()}
    with Staging(tmp_path / "a") as out_a, Staging(tmp_path / "b") as out_b:
        outs = {"a": out_a, "b": out_b}
        for name, out in outs.items():
            out.begin(len(jobs_pages[name]), len(jobs_pages[name]))
        streams = {name: pagepool.batches(renderer, jobs_pages[name], outs[name], jobs) for name in outs}
        for name in ["a", "b", "a", "b"] + ["a"] * 30 + ["b"] * 30:
            for batch in streams[name]:
                assert batch.problem is None
                written[name].update(path for path, *_ in batch.pages)
                break
        for name, out in outs.items():
            for path in written[name]:
                out.note(path, True)
            out.commit()
    for name in outs:
        assert written[name] == {page.output_path for page in jobs_pages[name]}
        for path in written[name]:
            assert (tmp_path / name / path).read_bytes() == expected[path]


def test_work_set_aside_answers_from_a_child_or_here_when_the_child_died() -> None:
    parent = os.getpid()
    assert forks.aside(os.getpid)() != parent

    def dies() -> str:
        if os.getpid() != parent:
            os._exit(1)
        return "here"

    assert forks.aside(dies)() == "here"
