"""Benchmark: importing ParlParse written answers, against the raw parse of the same files.

    python bench/import.py                      # 100,000 questions (the issue's default)
    python bench/import.py --questions 1000000  # the 1M run, on a quiet machine
    python bench/import.py --questions 5000     # a quick look while developing

Writes a synthetic corpus in ParlParse's format (a file a day, with an internal DTD of
named entities, departments, grouped questions, tables, holding answers and, for some
days, a superseded version with its <gidredirect>s) to a temporary folder. Then, in the
same run, it measures:

- the raw parse rate: lxml's iterparse over the same files, doing nothing with the
  elements but counting questions and freeing memory (the baseline);
- moot's parser alone (records built and HTML sanitised, no database);
- ``moot import-parlparse`` into a new SQLite database and into a scratch PostgreSQL
  database (created, and dropped afterwards), each in a fresh process, reporting
  questions a second, the ratio to the raw parse rate (target: at least 50%), and the
  process's peak memory for a quarter of the corpus and for all of it (it should stay
  flat as the corpus grows).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

REPOSITORY = Path(__file__).resolve().parents[1]
QUESTIONS_PER_DAY = 250
SUPERSEDED_EVERY = 10  # every tenth day also has an older version, superseded

DTD = """<?xml version="1.0" encoding="ISO-8859-1"?>

<!DOCTYPE publicwhip
[
<!ENTITY ndash   "&#8211;">
<!ENTITY mdash   "&#8212;">
<!ENTITY lsquo   "&#8216;">
<!ENTITY rsquo   "&#8217;">
<!ENTITY pound  "&#163;" >
<!ENTITY eacute "&#233;" >
<!ENTITY nbsp   "&#160;" >
]>

"""
DEPARTMENTS = [
    "WORK AND PENSIONS",
    "TREASURY",
    "HOME DEPARTMENT",
    "HEALTH",
    "DEFENCE",
    "JUSTICE",
    "TRANSPORT",
    "CABINET OFFICE",
    "FOREIGN AND COMMONWEALTH AFFAIRS",
    "CHILDREN, SCHOOLS AND FAMILIES",
    "ENVIRONMENT FOOD AND RURAL AFFAIRS",
    "COMMUNITIES AND LOCAL GOVERNMENT",
    "BUSINESS, INNOVATION AND SKILLS",
    "ENERGY AND CLIMATE CHANGE",
    "CULTURE MEDIA AND SPORT",
    "INTERNATIONAL DEVELOPMENT",
    "NORTHERN IRELAND",
    "SCOTLAND",
]
WORDS = " ".join(
    [
        "policy department information people number local children schools hospitals",
        "funding support services public government council police review report data",
        "figures region year recent estimate assessment guidance staff budget programme",
        "housing transport energy pensions benefits health safety training access",
    ]
).split()
SUBJECTS = [word.capitalize() for word in WORDS]

MAJOR = (
    '<major-heading id="{gid}" nospeaker="true" colnum="{column}W" url="{url}">\n'
    "\t{text}\n</major-heading>\n"
)
MINOR = (
    '<minor-heading id="{gid}" nospeaker="true" colnum="{column}W" url="{url}">\n'
    "\t{text}\n</minor-heading>\n"
)
QUESTION = (
    '<ques id="{gid}" speakerid="uk.org.publicwhip/member/{member}" '
    'speakername="Member {member}" colnum="{column}W" url="{url}#q{qnum}">\n'
    '\t<p pid="{column}W.{qnum}/1" qnum="{qnum}">To ask the Secretary of State for '
    "{department} what {text} &ndash; in 2008&ndash;09.</p>\n</ques>\n"
)
REPLY = (
    '<reply id="{gid}" speakerid="uk.org.publicwhip/member/{member}" '
    'speakername="A Minister" colnum="{column}W" url="{url}#r{qnum}">\n'
)
HOLDING = (
    '\t<p class="holdinganswer">holding answer '
    '<phrase class="date" code="{date}">{date}</phrase></p>\n'
)
PARAGRAPH = "\t<p>The {text} cost &pound;{pounds} million, <i>{word}</i>.</p>\n"
TABLE_ROW = "\t\t<tr><td>{area}</td><td>{number}</td></tr>\n"
TABLE = (
    "\t<table>\n\t\t<tbody>\n\t\t<tr><td><i>Area</i></td><td><i>Number</i></td></tr>\n"
    "{rows}\t\t</tbody>\n\t</table>\n"
)
REDIRECT = '<gidredirect oldgid="{old}" newgid="{new}" matchtype="perfectmatch"/>\n'


def sentence(rng: random.Random, words: int) -> str:
    return " ".join(rng.choices(WORDS, k=words))


def day_date(day_number: int) -> str:
    """A distinct date for each day number: 25 days a month, 12 months a year."""
    year, month, day = 2000 + day_number // 300, 1 + (day_number // 25) % 12, 1 + day_number % 25
    return f"{year:04d}-{month:02d}-{day:02d}"


def generate_corpus(folder: Path, questions: int, seed: int = 2009) -> tuple[int, int]:
    """Write ``questions`` questions as ParlParse day files; return (files, bytes)."""
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    written = total_bytes = files = 0
    day_number = 0
    qnum = 100000
    while written < questions:
        day_number += 1
        date = day_date(day_number)
        count = min(QUESTIONS_PER_DAY, questions - written)
        version = "b" if day_number % SUPERSEDED_EVERY == 0 else "a"
        body, gids, qnum = _day(rng, date, version, count, qnum)
        path = folder / f"answers{date}{version}.xml"
        path.write_text(body, encoding="latin-1")
        total_bytes += path.stat().st_size
        files += 1
        if version == "b":
            redirects = "".join(
                REDIRECT.format(old=gid.replace(f"{date}b", f"{date}a"), new=gid) for gid in gids
            )
            old = f'{DTD}<publicwhip scrapeversion="a" latest="no">\n{redirects}</publicwhip>\n'
            superseded = folder / f"answers{date}a.xml"
            superseded.write_text(old, encoding="latin-1")
            total_bytes += superseded.stat().st_size
            files += 1
        written += count
    return files, total_bytes


def _day(
    rng: random.Random, date: str, version: str, count: int, qnum: int
) -> tuple[str, list[str], int]:
    prefix = f"uk.org.publicwhip/wrans/{date}{version}"
    url = f"http://www.publications.parliament.uk/pa/cm/cmhansrd/{date}/text/w0001.htm"
    out = [DTD, f'<publicwhip scrapeversion="{version}" latest="yes">\n']
    gids = []
    column = 1
    departments = rng.sample(DEPARTMENTS, k=min(len(DEPARTMENTS), 1 + count // 15))
    for index, department in enumerate(departments):
        left = count // len(departments) + (1 if index < count % len(departments) else 0)
        gids.append(f"{prefix}.{qnum}.mh")
        out.append(MAJOR.format(gid=gids[-1], column=column, url=url, text=department))
        while left > 0:
            group = 2 if left >= 2 and rng.random() < 0.1 else 1
            lead = qnum
            gids.append(f"{prefix}.{lead}.h")
            heading = f"{rng.choice(SUBJECTS)}: {rng.choice(SUBJECTS)}"
            out.append(MINOR.format(gid=gids[-1], column=column, url=url, text=heading))
            for number in range(group):
                gids.append(f"{prefix}.{lead}.q{number}")
                out.append(
                    QUESTION.format(
                        gid=gids[-1],
                        member=1000 + rng.randrange(600),
                        column=column,
                        url=url,
                        qnum=qnum,
                        department=department.title(),
                        text=sentence(rng, rng.randint(15, 45)),
                    )
                )
                qnum += 1
            gids.append(f"{prefix}.{lead}.r0")
            out.append(
                REPLY.format(
                    gid=gids[-1], member=1600 + rng.randrange(90), column=column, url=url, qnum=lead
                )
            )
            if rng.random() < 0.1:
                out.append(HOLDING.format(date=date))
            for _ in range(rng.randint(1, 4)):
                out.append(
                    PARAGRAPH.format(
                        text=sentence(rng, rng.randint(20, 60)),
                        pounds=rng.randrange(10, 9999),
                        word=rng.choice(WORDS),
                    )
                )
            if rng.random() < 0.05:
                rows = "".join(
                    TABLE_ROW.format(area=rng.choice(SUBJECTS), number=rng.randrange(1000))
                    for _ in range(rng.randint(3, 12))
                )
                out.append(TABLE.format(rows=rows))
            out.append("</reply>\n")
            left -= group
            column += rng.random() < 0.4
    out.append("</publicwhip>\n")
    return "".join(out), gids, qnum


def raw_parse(files: list[Path]) -> tuple[float, int]:
    """The baseline: lxml iterparse over the files, counting questions and freeing memory."""
    from lxml import etree

    started = time.perf_counter()
    questions = 0
    for path in files:
        for _event, element in etree.iterparse(
            str(path),
            events=("end",),
            tag=("major-heading", "minor-heading", "ques", "reply", "gidredirect"),
            resolve_entities="internal",
            no_network=True,
            load_dtd=False,
        ):
            if element.tag == "ques":
                questions += 1
            element.clear(keep_tail=False)
            parent = element.getparent()
            while element.getprevious() is not None:
                del parent[0]
    return time.perf_counter() - started, questions


def parser_only(files: list[Path]) -> tuple[float, int]:
    """moot's parser without a database: records built, HTML sanitised."""
    sys.path.insert(0, str(REPOSITORY / "src"))
    from moot.parliament.importers.parlparse import QuestionGroup, read_file, source_file

    started = time.perf_counter()
    questions = 0
    for path in files:
        _header, records = read_file(source_file(path))
        for record in records:
            if isinstance(record, QuestionGroup):
                questions += len(record.questions)
    return time.perf_counter() - started, questions


def child(database_url: str, corpus: Path, limit: int) -> None:
    """Runs in a fresh process: migrate an empty database, import, report as JSON."""
    import resource

    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("SECRET_KEY", "bench-only-secret-key")
    os.environ["DJANGO_SETTINGS_MODULE"] = "moot.settings"
    sys.path.insert(0, str(REPOSITORY / "src"))
    import django

    django.setup()
    from django.core.management import call_command

    from moot.parliament.models import WrittenQuestion
    from moot.parliament.services.parlparse import parlparse_import

    call_command("migrate", verbosity=0)
    files = sorted(corpus.glob("*.xml"))[:limit]
    started = time.perf_counter()
    summary = parlparse_import(paths=files)
    elapsed = time.perf_counter() - started
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    # The background reader, when the import used one (it has exited by now).
    reader_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    print(
        json.dumps(
            {
                "seconds": elapsed,
                "questions": WrittenQuestion.objects.count(),
                "created": summary.get("questions", "created"),
                "errors": summary.errors,
                "peak_mb": peak_kb / 1024,
                "reader_peak_mb": reader_kb / 1024,
            }
        )
    )


def run_child(database_url: str, corpus: Path, limit: int) -> dict[str, float]:
    result = subprocess.run(
        [
            sys.executable,
            __file__,
            "--child",
            database_url,
            "--corpus",
            str(corpus),
            "--limit",
            str(limit),
        ],
        check=True,
        capture_output=True,
        text=True,
        cwd=REPOSITORY,
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


def scratch_postgres(url: str) -> tuple[str, Callable[[], None]]:
    """A new empty database on the server ``url`` names; returns its URL and a dropper."""
    import psycopg

    name = f"moot_bench_{os.getpid()}"
    with psycopg.connect(url, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    parts = urlsplit(url)
    scratch = urlunsplit(parts._replace(path=f"/{name}"))

    def drop() -> None:
        with psycopg.connect(url, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    return scratch, drop


def line(label: str, seconds: float, rate: float, note: str = "") -> None:
    print(f"{label:42} {seconds:7.1f}s {rate:9,.0f} questions/s  {note}".rstrip())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--questions", type=int, default=100_000)
    parser.add_argument(
        "--postgres-url",
        default=os.environ.get("BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/test"),
        help="a server and database to connect to; a scratch database is made beside it",
    )
    parser.add_argument("--no-postgres", action="store_true", help="SQLite only")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--corpus", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--limit", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child, args.corpus, args.limit)
        return

    work = Path(tempfile.mkdtemp(prefix="moot-bench-import-"))
    try:
        corpus = work / "corpus"
        started = time.perf_counter()
        count, size = generate_corpus(corpus, args.questions)
        files = sorted(corpus.glob("*.xml"))
        print(
            f"corpus: {args.questions:,} questions in {count:,} ParlParse files "
            f"({size / 1e6:,.0f} MB), written in {time.perf_counter() - started:.1f}s"
        )
        raw_seconds, raw_questions = raw_parse(files)
        raw_rate = raw_questions / raw_seconds
        line("raw parse (lxml iterparse), baseline", raw_seconds, raw_rate)
        parse_seconds, parsed = parser_only(files)
        parse_rate = parsed / parse_seconds
        share = f"{parse_rate / raw_rate:4.0%} of raw"
        line("moot parser alone (no database)", parse_seconds, parse_rate, share)
        quarter = max(1, len(files) // 4)
        servers: list[tuple[str, str | None]] = [("SQLite", None)]
        if not args.no_postgres:
            servers.append(("PostgreSQL", args.postgres_url))
        for label, server in servers:
            for limit in (quarter, len(files)):
                drop = None
                if server:
                    url, drop = scratch_postgres(server)
                else:
                    url = f"sqlite:///{work / f'bench-{limit}.sqlite3'}"
                try:
                    result = run_child(url, corpus, limit)
                finally:
                    if drop:
                        drop()
                rate = result["questions"] / result["seconds"]
                memory = f"peak memory {result['peak_mb']:.0f} MB"
                if result["reader_peak_mb"]:
                    memory += f" (+ reader {result['reader_peak_mb']:.0f} MB)"
                line(
                    f"import, {label}, {int(result['questions']):,} questions",
                    result["seconds"],
                    rate,
                    f"{rate / raw_rate:4.0%} of raw, {rate / parse_rate:4.0%} of parser, {memory},"
                    f" {int(result['errors'])} errors",
                )
        print("target: import at least 50% of the raw parse rate; memory flat as the corpus grows")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
