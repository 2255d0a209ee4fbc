"""Reading ParlParse files in another process, ahead of the one writing to the database.

Parsing and sanitising take about as long as writing, and both are CPU-bound Python, so
on a machine with two cores a large import runs both at once: a child process reads the
files in order and sends their records through a bounded queue (as plain tuples, which
pickle several times faster than dataclasses), while the caller writes. Memory stays
flat: the queue holds at most ``QUEUE_CHUNKS`` chunks.

The child imports no Django and touches no database; it only reads the files it is given.
"""

from __future__ import annotations

import multiprocessing
import queue
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from moot.core.errors import FileRejected
from moot.parliament.importers.parlparse import (
    FileHeader,
    ParsedAnswer,
    ParsedQuestion,
    ParsedRecord,
    QuestionGroup,
    RecordProblem,
    Redirect,
    read_file,
    source_file,
)

CHUNK_RECORDS = 200
QUEUE_CHUNKS = 32
# How long the writer waits for the reader before deciding it has died.
READER_TIMEOUT_SECONDS = 600


def encode(record: ParsedRecord) -> tuple[Any, ...]:
    if isinstance(record, QuestionGroup):
        return (
            "g",
            record.date,
            record.position,
            record.major_heading,
            record.heading,
            record.line,
            [
                (q.gid, q.line, q.uins, q.speaker_id, q.speaker_name, q.text, q.column, q.url)
                for q in record.questions
            ],
            [
                (
                    a.gid,
                    a.line,
                    a.speaker_id,
                    a.speaker_name,
                    a.body_html,
                    a.holding_answer_date,
                    a.column,
                    a.url,
                )
                for a in record.answers
            ],
        )
    if isinstance(record, Redirect):
        return ("r", record.old_gid, record.new_gid, record.match_type, record.line)
    return ("p", record.line, record.message)


def decode(data: tuple[Any, ...]) -> ParsedRecord:
    kind = data[0]
    if kind == "g":
        return QuestionGroup(
            data[1],
            data[2],
            data[3],
            data[4],
            data[5],
            [ParsedQuestion(*q) for q in data[6]],
            [ParsedAnswer(*a) for a in data[7]],
        )
    if kind == "r":
        return Redirect(*data[1:])
    return RecordProblem(*data[1:])


def _read_files(paths: list[str], out: multiprocessing.Queue[Any]) -> None:
    """The child process: every file in order, as (index, kind, payload) messages."""
    for index, path in enumerate(paths):
        chunk: list[tuple[Any, ...]] = []
        try:
            header, records = read_file(source_file(Path(path)))
            out.put((index, "header", (header.version, header.latest)))
            for record in records:
                chunk.append(encode(record))
                if len(chunk) >= CHUNK_RECORDS:
                    out.put((index, "records", chunk))
                    chunk = []
            out.put((index, "records", chunk))
            out.put((index, "end", None))
        except FileRejected as error:
            out.put((index, "records", chunk))
            out.put((index, "rejected", str(error)))
        except Exception as error:
            out.put((index, "failed", f"{type(error).__name__}: {error}"))
            return


class BackgroundReader:
    """Reads ``paths`` in a child process; ``read(i)`` must be called for i = 0, 1, 2 …"""

    def __init__(self, paths: list[Path]) -> None:
        context = multiprocessing.get_context("spawn")
        self.queue: multiprocessing.Queue[Any] = context.Queue(maxsize=QUEUE_CHUNKS)
        self.process = context.Process(
            target=_read_files, args=([str(p) for p in paths], self.queue), daemon=True
        )
        self.process.start()
        self.expected = 0

    def _next(self, index: int) -> tuple[str, Any]:
        try:
            got, kind, payload = self.queue.get(timeout=READER_TIMEOUT_SECONDS)
        except queue.Empty:
            raise RuntimeError("the background reader stopped answering") from None
        if got != index:
            raise RuntimeError(f"the background reader sent file {got}, not {index}")
        if kind == "failed":
            raise RuntimeError(f"the background reader failed: {payload}")
        return kind, payload

    def read(self, index: int) -> tuple[FileHeader, Iterator[ParsedRecord]]:
        """As ``read_file`` for the index-th path: raises ``FileRejected`` at once for a file
        refused before reading, and from the iterator for one that breaks part way."""
        if index != self.expected:
            raise RuntimeError("files must be read in order")
        self.expected += 1
        kind, payload = self._next(index)
        if kind == "records":  # a file refused before any record: its chunk, then why
            kind, payload = self._next(index)
        if kind == "rejected":
            raise FileRejected(payload)
        version, latest = payload
        return FileHeader(version=version, latest=latest), self._records(index)

    def _records(self, index: int) -> Iterator[ParsedRecord]:
        while True:
            kind, payload = self._next(index)
            if kind == "records":
                for data in payload:
                    yield decode(data)
            elif kind == "rejected":
                raise FileRejected(payload)
            else:
                return

    def close(self) -> None:
        if self.process.is_alive():
            self.process.terminate()
        self.process.join(timeout=10)
        self.queue.close()
