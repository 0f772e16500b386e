"""Compiled templates kept between builds (`.cache/explainer/templates/<code>/`): Jinja's bytecode of each
template, reused only for the same source (Jinja's checksum) compiled by the same code (the folder is named
for `code_key`, which holds explainer's source, Jinja's and Python's versions, and so the environment's
settings). Compiling the default theme costs ~0.2 s; a one-card edit compiles the three templates its page
uses. A file that cannot be read is compiled afresh; one that cannot be written is only a slower next build."""

from __future__ import annotations

import contextlib
import shutil
from pathlib import Path

import jinja2
from jinja2.bccache import Bucket


class StoredTemplates(jinja2.FileSystemBytecodeCache):
    """Jinja's file bytecode cache, in a folder of its own per version of the code, never failing a build."""

    def __init__(self, cache: Path, code: bytes) -> None:
        top = cache / "templates"
        folder = top / code.hex()[:24]
        with contextlib.suppress(OSError):
            for other in top.iterdir() if top.is_dir() else ():
                if other != folder:  # another version's: never read again
                    shutil.rmtree(other, ignore_errors=True)
            folder.mkdir(parents=True, exist_ok=True)
        super().__init__(str(folder))

    def load_bytecode(self, bucket: Bucket) -> None:
        try:
            super().load_bytecode(bucket)
        except Exception:  # truncated or garbled: compiled afresh (and written again)
            bucket.reset()

    def dump_bytecode(self, bucket: Bucket) -> None:
        with contextlib.suppress(OSError):
            super().dump_bytecode(bucket)
