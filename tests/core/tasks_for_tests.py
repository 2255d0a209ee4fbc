"""Tasks the tests enqueue: each appends a line to a file, so runs can be counted."""

from __future__ import annotations

import time
from pathlib import Path

from django_tasks import task


@task()
def append_line(*, path: str, text: str, seconds: float = 0.0) -> str:
    time.sleep(seconds)
    with Path(path).open("a") as handle:
        handle.write(text + "\n")
    return text
