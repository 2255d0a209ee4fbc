"""Text extraction in a child process with hard CPU-time, memory and wall-clock bounds.

A hostile document (a DOCX whose ``document.xml`` holds millions of tiny paragraphs, a PDF
with a page array of 200,000 entries) can cost minutes of CPU and gigabytes of memory in
the libraries that read it. Reading it in a child process with ``RLIMIT_CPU`` and
``RLIMIT_AS`` set, killed after a wall-clock timeout, bounds what any one file can cost;
anything failing in the child means "text not extracted", never a 500.

The child is ``python -m moot.core.extraction CONTENT_TYPE CPU_SECONDS MEMORY_BYTES``: the
file on standard input, a JSON result on standard output. It imports no Django.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass

NOT_EXTRACTED = "Text not extracted"


@dataclass(frozen=True)
class Limits:
    cpu_seconds: int = 10
    memory_bytes: int = 512 * 1024 * 1024
    wall_seconds: float = 30.0


@dataclass(frozen=True)
class Extraction:
    text: str = ""
    page_count: int | None = None
    # Empty when the text was extracted; otherwise why not, fit to show staff and the sender.
    failure: str = ""

    @property
    def extracted(self) -> bool:
        return not self.failure


def _limits_from_settings() -> Limits:
    from django.conf import settings

    return Limits(
        cpu_seconds=settings.EXTRACTION_CPU_SECONDS,
        memory_bytes=settings.EXTRACTION_MEMORY_MB * 1024 * 1024,
        wall_seconds=settings.EXTRACTION_WALL_SECONDS,
    )


def extract_bounded(data: bytes, *, content_type: str, limits: Limits | None = None) -> Extraction:
    """Extract the text of ``data`` in a bounded child process. Never raises for a bad file."""
    limits = limits or _limits_from_settings()
    command = [
        sys.executable,
        "-m",
        "moot.core.extraction",
        content_type,
        str(limits.cpu_seconds),
        str(limits.memory_bytes),
    ]
    child = subprocess.Popen(  # noqa: S603 - our own interpreter and module, no shell
        command,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        env={**os.environ, "PYTHONHASHSEED": "0"},
    )
    try:
        out, _ = child.communicate(data, timeout=limits.wall_seconds)
    except subprocess.TimeoutExpired:
        child.kill()
        child.communicate()
        return Extraction(failure=f"{NOT_EXTRACTED}: reading the file took too long.")
    if child.returncode != 0:
        if child.returncode in (-9, -24):  # SIGKILL or SIGXCPU: the CPU-time limit
            return Extraction(failure=f"{NOT_EXTRACTED}: reading the file took too long.")
        return Extraction(failure=f"{NOT_EXTRACTED}: the file could not be read.")
    try:
        result = json.loads(out)
    except ValueError:
        return Extraction(failure=f"{NOT_EXTRACTED}: the file could not be read.")
    return Extraction(
        text=result.get("text", ""),
        page_count=result.get("page_count"),
        failure=result.get("failure", ""),
    )


def _child(content_type: str, cpu_seconds: int, memory_bytes: int) -> int:
    import resource

    resource.setrlimit(resource.RLIMIT_CPU, (cpu_seconds, cpu_seconds + 1))
    resource.setrlimit(resource.RLIMIT_AS, (memory_bytes, memory_bytes))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    data = sys.stdin.buffer.read()
    try:
        from moot.core import files

        extracted = files.extract_text(data, content_type=content_type)
        result: dict[str, object] = {"text": extracted.text, "page_count": extracted.page_count}
    except MemoryError:
        result = {"failure": f"{NOT_EXTRACTED}: reading the file needs too much memory."}
    except RecursionError:
        result = {"failure": f"{NOT_EXTRACTED}: the file is nested too deeply to read."}
    except Exception as error:  # anything failing in the sandbox means "not extracted"
        from moot.core.errors import FileRejected

        reason = str(error) if isinstance(error, FileRejected) else "the file could not be read."
        result = {"failure": f"{NOT_EXTRACTED}: {reason}"}
    sys.stdout.write(json.dumps(result))
    sys.stdout.flush()
    return 0


if __name__ == "__main__":
    raise SystemExit(_child(sys.argv[1], int(sys.argv[2]), int(sys.argv[3])))
