"""Benchmark: match saved alerts against one day's new items.

    python bench/alerts.py                 # 1,000,000 alerts against 1,000 items
    python bench/alerts.py --alerts 50000  # a quick run
    python bench/alerts.py --alerts 50000 --pipeline            # and the whole send-alerts
    python bench/alerts.py --alerts 50000 --pipeline --database-url postgres://…/scratch

Generates a corpus of items (SearchDocuments: written questions, consultations, documents)
and alerts (1–3 words, some phrases, some with member, department or party filters, a few
with OR, exclusions or date ranges), then in the same run:

- baseline: the items in an in-memory tantivy index, and each alert run as its own query
  (built straight from the parsed query tree) — one search per alert;
- moot's alert matcher: every alert compiled once, then the batch matched at once.

It checks that both find exactly the same (alert, item) pairs and prints the times and the
ratio. Target: matching 1M alerts in under 5 s, at least 10× faster than the baseline.
That part needs no database.

With ``--pipeline`` it then runs the whole of ``moot send-alerts`` on a database holding
the alerts (spread over one address per three alerts) and the items (as written
questions): loading and compiling the alerts, matching and storing, queueing one digest
per address and rendering and "sending" them (to Django's in-memory mail backend). The
database is a new SQLite file, or an *empty scratch* database given by ``--database-url``.
"""

from __future__ import annotations

import argparse
import atexit
import datetime as dt
import gc
import os
import random
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

_database = argparse.ArgumentParser(add_help=False)
_database.add_argument("--database-url", default="")
if url := _database.parse_known_args()[0].database_url:
    os.environ["DATABASE_URL"] = url
else:
    os.environ.pop("DATABASE_URL", None)  # never fill a database that was not named here
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "moot.settings")
if "MOOT_VAR_DIR" not in os.environ:  # a folder of its own, removed when the run ends
    os.environ["MOOT_VAR_DIR"] = tempfile.mkdtemp(prefix="moot-bench-alerts-")
    atexit.register(shutil.rmtree, os.environ["MOOT_VAR_DIR"], ignore_errors=True)
os.environ.setdefault("SECRET_KEY", "benchmark-only")
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

import django  # noqa: E402

django.setup()

from moot.alerts.matching import AlertMatcher  # noqa: E402
from moot.alerts.matching.reference import SearchPerAlert  # noqa: E402
from moot.search.documents import SearchDocument  # noqa: E402

SYLLABLES = [c + v for c in "bcdfghklmnprstvwz" for v in ("a", "e", "i", "o", "u", "ai", "ou")]
ENDINGS = ["", "", "", "s", "ed", "ing", "ation", "er", "ly"]
VOCABULARY = 50_000
MEMBERS = 650
DEPARTMENTS = 25
PARTIES = 8
TOPICAL_RANK = 800


# --- corpus ------------------------------------------------------------------------------


def make_vocabulary(rng: random.Random) -> list[str]:
    roots: dict[str, None] = {}
    while len(roots) < VOCABULARY:
        roots["".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4)))] = None
    return list(roots)


def inflect(root: str, rng: random.Random) -> str:
    return root + rng.choice(ENDINGS)


class Corpus:
    def __init__(self, *, items: int, seed: int) -> None:
        rng = random.Random(seed)
        self.rng = rng
        self.words = make_vocabulary(rng)
        ranks = np.arange(1, VOCABULARY + 1)
        self.weights = (1 / ranks) / (1 / ranks).sum()
        self.members = [f"member-{n}" for n in range(MEMBERS)]
        self.member_names = [
            f"{rng.choice(self.words).title()} {rng.choice(self.words).title()}"
            for _ in range(MEMBERS)
        ]
        self.departments = [f"department-{n}" for n in range(DEPARTMENTS)]
        self.department_names = [
            f"Department for {rng.choice(self.words).title()}" for _ in range(DEPARTMENTS)
        ]
        self.parties = [f"party-{n}" for n in range(PARTIES)]
        numbers = np.random.default_rng(seed)
        self.body_ranks: list[list[int]] = []
        self.documents = [self._document(n, numbers) for n in range(items)]

    def _text(self, numbers: np.random.Generator, length: int, ranks: list[int]) -> str:
        picks = numbers.choice(VOCABULARY, size=length, p=self.weights).tolist()
        ranks.extend(picks)
        return " ".join(inflect(self.words[i], self.rng) for i in picks)

    def _document(self, n: int, numbers: np.random.Generator) -> SearchDocument:
        rng = self.rng
        kind = rng.choices(["question", "consultation", "document"], [8, 1, 1])[0]
        department = rng.randrange(DEPARTMENTS)
        members: list[int] = []
        body_ranks: list[int] = []
        self.body_ranks.append(body_ranks)
        if kind == "question":
            members = rng.sample(range(MEMBERS), 2)
        return SearchDocument(
            key=f"{kind}:{n}",
            kind=kind,
            title=self._text(numbers, rng.randint(3, 9), []).capitalize(),
            body=self._text(numbers, rng.randint(120, 380), body_ranks),
            url=f"/items/{n}/",
            date=dt.date(2024, 3, 1) + dt.timedelta(days=rng.randrange(30)),
            department_slugs=(self.departments[department],),
            department_names=(self.department_names[department],),
            member_slugs=tuple(self.members[m] for m in members),
            member_names=tuple(self.member_names[m] for m in members),
            party_slugs=tuple({self.parties[m % PARTIES] for m in members}),
        )

    # --- alerts ---------------------------------------------------------------------------

    def _topic_word(self) -> str:
        # People alert on topical words, not on "the": ranks spread log-uniformly.
        rank = int(np.exp(self.rng.uniform(np.log(TOPICAL_RANK), np.log(VOCABULARY)))) - 1
        return inflect(self.words[min(rank, VOCABULARY - 1)], self.rng)

    def _phrase(self) -> str:
        rng = self.rng
        if rng.random() < 0.6:  # a phrase that occurs in some item, around a topical word
            number = rng.randrange(len(self.documents))
            words = self.documents[number].body.split()
            ranks = self.body_ranks[number]
            topical = [i for i, rank in enumerate(ranks[:-3]) if rank >= TOPICAL_RANK] or [0]
            start = max(rng.choice(topical) - rng.randint(0, 1), 0)
            return '"' + " ".join(words[start : start + rng.randint(2, 3)]) + '"'
        return '"' + " ".join(self._topic_word() for _ in range(rng.randint(2, 3))) + '"'

    def alert(self) -> str:
        rng = self.rng
        roll = rng.random()
        if roll < 0.04:
            return f"member:{rng.choice(self.members)}"
        if roll < 0.06:
            return f"department:{rng.choice(self.departments)}"
        parts = [self._topic_word() for _ in range(rng.choices([1, 2, 3], [45, 35, 20])[0])]
        if rng.random() < 0.15:
            parts[rng.randrange(len(parts))] = self._phrase()
        if rng.random() < 0.04 and len(parts) >= 2:
            parts = [f"({parts[0]} OR {parts[1]})", *parts[2:]]
        if rng.random() < 0.04:
            parts.append(f"-{self._topic_word()}")
        filters = rng.random()
        if filters < 0.08:
            parts.append(f"member:{rng.choice(self.members)}")
        elif filters < 0.16:
            parts.append(f"department:{rng.choice(self.departments)}")
        elif filters < 0.18:
            parts.append(f"party:{rng.choice(self.parties)}")
        elif filters < 0.20:
            parts.append(f"type:{rng.choice(['question', 'consultation', 'document'])}")
        elif filters < 0.22:
            start = dt.date(2024, 3, 1) + dt.timedelta(days=rng.randrange(30))
            parts.append(f"date:{start}..{start + dt.timedelta(days=rng.randrange(1, 20))}")
        return " ".join(parts)


def pair_keys(alert_ids: np.ndarray, indices: np.ndarray, items: int) -> np.ndarray:
    return np.sort(alert_ids * items + indices)


def peak_memory_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def pipeline(corpus: Corpus, queries: list[str]) -> None:
    """The whole of ``moot send-alerts`` on a database, step by step."""
    from django.conf import settings
    from django.core import mail
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from moot.alerts.models import Alert, Subscriber
    from moot.alerts.services import (
        alerts_match_new_items,
        digests_deliver,
        digests_queue,
        search_alert_matcher,
    )
    from moot.core.models import Department
    from moot.parliament.models import Person, WrittenQuestion
    from moot.search.query import parse, to_text

    call_command("migrate", verbosity=0)
    if Alert.objects.exists() or WrittenQuestion.objects.exists():
        sys.exit("--pipeline needs an empty database: it fills it with generated rows")
    started = time.perf_counter()
    departments = {
        slug: Department.objects.create(slug=slug, name=name)
        for slug, name in zip(corpus.departments, corpus.department_names, strict=True)
    }
    people = {
        slug: Person.objects.create(slug=slug, name=f"{name} {number}")
        for number, (slug, name) in enumerate(zip(corpus.members, corpus.member_names, strict=True))
    }
    addresses = max(1, len(queries) // 3)
    subscribers = Subscriber.objects.bulk_create(
        Subscriber(email=f"reader{n}@example.org", daily_sent_at=timezone.now())
        for n in range(addresses)
    )
    Alert.objects.bulk_create(
        (
            Alert(subscriber=subscribers[n % addresses], kind="search", query=to_text(parse(q)))
            for n, q in enumerate(queries)
        ),
        batch_size=10_000,
        ignore_conflicts=True,
    )
    WrittenQuestion.objects.bulk_create(
        WrittenQuestion(
            date=document.date,
            identifier=f"item-{n}",
            heading=document.title[:300],
            text=document.body,
            department=departments[document.department_slugs[0]],
            asking_person=people[document.member_slugs[0]] if document.member_slugs else None,
        )
        for n, document in enumerate(corpus.documents)
    )
    print(
        f"pipeline on {connection.vendor}: stored {Alert.objects.count():,} alerts of "
        f"{addresses:,} addresses and {len(corpus.documents):,} items in "
        f"{time.perf_counter() - started:.1f} s"
    )
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    mail.outbox = []
    steps = [
        ("load and compile the alerts", lambda: search_alert_matcher().alert_count),
        ("match and store", lambda: alerts_match_new_items()[1]),
        ("queue digests", lambda: digests_queue()),
        ("render and send", lambda: digests_deliver()[0]),
    ]
    for label, step in steps:
        with connection.cursor() as cursor:  # fresh planner statistics, as autovacuum keeps
            cursor.execute("ANALYZE")
        started = time.perf_counter()
        result = step()
        print(f"  {label}: {time.perf_counter() - started:.2f} s ({result:,})")
    print(f"  {len(mail.outbox):,} emails")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--alerts", type=int, default=1_000_000)
    parser.add_argument("--items", type=int, default=1_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument(
        "--pipeline", action="store_true", help="also run send-alerts on a database"
    )
    parser.add_argument(
        "--database-url", default="", help="an empty scratch database (else SQLite)"
    )
    args = parser.parse_args()

    started = time.perf_counter()
    corpus = Corpus(items=args.items, seed=args.seed)
    queries = [corpus.alert() for _ in range(args.alerts)]
    print(
        f"generated {args.items:,} items and {args.alerts:,} alerts "
        f"({len(set(queries)):,} distinct queries) in {time.perf_counter() - started:.1f} s"
    )

    started = time.perf_counter()
    baseline = SearchPerAlert(corpus.documents)
    index_time = time.perf_counter() - started
    gc.collect()
    started = time.perf_counter()
    expected = pair_keys(*baseline.match_texts(queries), args.items)
    baseline_time = time.perf_counter() - started
    print(
        f"baseline: indexed the items in {index_time:.2f} s; one search per alert "
        f"took {baseline_time:.2f} s ({baseline_time / args.alerts * 1e6:.1f} µs per alert)"
    )
    del baseline
    gc.collect()

    memory_before = peak_memory_mb()
    started = time.perf_counter()
    matcher = AlertMatcher()
    for alert_id, text in enumerate(queries):
        matcher.add_text(alert_id, text)
    matcher.freeze()
    compile_time = time.perf_counter() - started
    print(
        f"matcher: compiled {matcher.alert_count:,} alerts into {matcher.program_count:,} "
        f"programs over {matcher.atom_count:,} atoms in {compile_time:.2f} s "
        f"(peak memory {memory_before:.0f} → {peak_memory_mb():.0f} MB)"
    )
    gc.collect()
    started = time.perf_counter()
    found = matcher.match(corpus.documents)
    match_time = time.perf_counter() - started
    print(f"matcher: matched the {args.items:,} items in {match_time:.2f} s")

    actual = pair_keys(found.alert_ids, found.document_indices, args.items)
    identical = np.array_equal(expected, actual)
    alerts_matching = len(np.unique(found.alert_ids))
    print(
        f"matches: {len(actual):,} (alert, item) pairs for {alerts_matching:,} alerts; "
        f"baseline {len(expected):,}: {'IDENTICAL' if identical else 'DIFFERENT'}"
    )
    print(
        f"ratio: baseline / match = {baseline_time / match_time:.1f}×; "
        f"baseline / (compile + match) = {baseline_time / (compile_time + match_time):.1f}×"
    )
    if args.pipeline:
        del matcher, found
        gc.collect()
        pipeline(corpus, queries)
    if not identical:
        missing = np.setdiff1d(expected, actual)[:5]
        extra = np.setdiff1d(actual, expected)[:5]
        for label, keys in (("missing", missing), ("extra", extra)):
            for key in keys.tolist():
                alert_id, index = divmod(key, args.items)
                print(f"  {label}: alert {queries[alert_id]!r} item {index}")
        sys.exit(1)


if __name__ == "__main__":
    main()
