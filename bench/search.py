"""Search benchmark: moot's tantivy index beside plain SQLite FTS5, and the search page.

    python bench/search.py                      # 100k items; page through HTTP on 100k
    python bench/search.py --items 1000000 --http-items 100000
    python bench/search.py --items 20000 --databases sqlite   # a quick look

One run generates a synthetic corpus of written questions (see search_corpus.py), builds
moot's tantivy index (its real schema and analyzer) and an FTS5 table of the same items,
timing both, then measures p50/p95 latency for each query class: with the engine alone
(top 20, as moot asks for them), with the engine doing all the search page needs (top 20
plus the exact total and the type/department/year counts), with FTS5 ``bm25()``, and for
the whole search page through HTTP, served by gunicorn (``moot serve``) from a database
holding the first ``--http-items`` items, on SQLite and on PostgreSQL. Loading a database
and indexing it from there takes much longer than building from the generator, which is
why the HTTP corpus size is set separately. Targets at 1M items: engine p95 < 10 ms, page
p95 < 50 ms, build < 2 minutes.
"""

from __future__ import annotations

import argparse
import functools
import os
import platform
import random
import shutil
import sqlite3
import statistics
import sys
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from search_corpus import COMMON, DEPARTMENTS, PHRASES, Corpus, Item
from search_http import DATABASES, measure_pages

REPO = Path(__file__).resolve().parent.parent
CLASSES = (
    "rare word",
    "common word (~30%)",
    "two-word AND",
    "phrase",
    "common + department",
    "common + one year",
    "common, newest first",
)
TARGET_ENGINE_P95_MS = 10.0
TARGET_PAGE_P95_MS = 50.0
TARGET_BUILD_S = 120.0


@dataclass
class Query:
    klass: str
    text: str  # moot's query language
    fts: str  # the FTS5 MATCH expression
    department: str | None = None
    year: int | None = None
    newest: bool = False


@functools.cache
def slug(name: str) -> str:
    from django.utils.text import slugify

    return slugify(name)


def query_set(corpus: Corpus, per_class: int) -> list[Query]:
    rng = random.Random(corpus.seed)
    rare = corpus.words_at_ranks(20_000, 50_000, per_class, salt=1)
    pairs = zip(
        corpus.words_at_ranks(100, 1_000, per_class, salt=2),
        corpus.words_at_ranks(100, 1_000, per_class, salt=3),
        strict=True,
    )
    queries = [Query(CLASSES[0], word, word) for word in rare]
    queries += [Query(CLASSES[1], word, word) for word in COMMON]
    queries += [Query(CLASSES[2], f"{a} {b}", f"{a} {b}") for a, b in pairs]
    for phrase in PHRASES:
        text = '"' + " ".join(phrase) + '"'
        queries.append(Query(CLASSES[3], text, text))
    for n in range(per_class):
        word = COMMON[n % len(COMMON)]
        department = slug(DEPARTMENTS[rng.randrange(len(DEPARTMENTS))])
        queries.append(
            Query(CLASSES[4], f"{word} department:{department}", word, department=department)
        )
        year = rng.randrange(2000, 2025)
        queries.append(Query(CLASSES[5], f"{word} date:{year}", word, year=year))
    queries += [Query(CLASSES[6], word, word, newest=True) for word in COMMON]
    return queries


# --- Building ----------------------------------------------------------------------------


def search_document(item: Item, members: list[str]) -> object:
    from moot.search.documents import SearchDocument

    department = DEPARTMENTS[item.department]
    member = members[item.member]
    return SearchDocument(
        key=f"question:{item.number + 1}",
        kind="question",
        title=item.title,
        body=item.body,
        url=f"/written-questions/{item.date.isoformat()}/q{item.number + 1}/",
        date=item.date,
        department_slugs=(slug(department),),
        department_names=(department,),
        member_slugs=(slug(member),),
        member_names=(member,),
        party_slugs=("labour",),
        extra={"asker": member},
    )


@dataclass
class Built:
    tantivy_seconds: float = 0.0
    fts_seconds: float = 0.0
    generate_seconds: float = 0.0
    items: int = 0
    common_share: float = 0.0
    words: int = 0
    index: object = None
    fts: sqlite3.Connection | None = None
    sizes: dict[str, int] = field(default_factory=dict)


def build(corpus: Corpus, *, items: int, workdir: Path, heap_mb: int) -> Built:
    from moot.search.changes import START
    from moot.search.index import create, to_tantivy, write_state
    from search_corpus import member_names

    built = Built(items=items)
    index_dir = workdir / "tantivy"
    index_dir.mkdir(parents=True)
    index = create(index_dir)
    writer = index.writer(heap_size=heap_mb * 1_000_000, num_threads=0)
    fts_path = workdir / "fts5.sqlite3"
    fts = sqlite3.connect(fts_path)
    fts.executescript(
        """
        PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;
        CREATE VIRTUAL TABLE docs USING fts5(title, body, tokenize='porter unicode61');
        CREATE TABLE meta (id INTEGER PRIMARY KEY, department TEXT, date TEXT);
        """
    )
    members = member_names(corpus.seed)
    common = 0
    started = time.perf_counter()
    chunk: list[Item] = []
    generator = iter(corpus.items(items))
    while True:
        t0 = time.perf_counter()
        chunk = [item for _, item in zip(range(10_000), generator, strict=False)]
        built.generate_seconds += time.perf_counter() - t0
        if not chunk:
            break
        common += sum(" policy " in f" {item.body.lower()} " for item in chunk)
        built.words += sum(item.body.count(" ") + 1 for item in chunk)
        t0 = time.perf_counter()
        for item in chunk:
            writer.add_document(to_tantivy(search_document(item, members)))  # type: ignore[arg-type]
        built.tantivy_seconds += time.perf_counter() - t0
        t0 = time.perf_counter()
        with fts:
            fts.executemany(
                "INSERT INTO docs (rowid, title, body) VALUES (?, ?, ?)",
                [(item.number + 1, item.title, item.body) for item in chunk],
            )
            fts.executemany(
                "INSERT INTO meta (id, department, date) VALUES (?, ?, ?)",
                [
                    (item.number + 1, slug(DEPARTMENTS[item.department]), item.date.isoformat())
                    for item in chunk
                ],
            )
        built.fts_seconds += time.perf_counter() - t0
        done = chunk[-1].number + 1
        elapsed = time.perf_counter() - started
        print(f"  built {done:,} of {items:,} ({elapsed:.0f} s)", file=sys.stderr, end="\r")
    t0 = time.perf_counter()
    write_state(writer, cursor=START, built_at="bench")
    writer.commit()
    writer.wait_merging_threads()
    index.reload()
    built.tantivy_seconds += time.perf_counter() - t0
    t0 = time.perf_counter()
    with fts:
        fts.executescript(
            """
            CREATE INDEX meta_department_date ON meta (department, date);
            CREATE INDEX meta_date ON meta (date);
            INSERT INTO docs(docs) VALUES ('optimize');
            """
        )
    built.fts_seconds += time.perf_counter() - t0
    print(file=sys.stderr)
    built.common_share = common / items
    built.index = index
    built.fts = fts
    built.sizes = {
        "tantivy": sum(p.stat().st_size for p in index_dir.rglob("*") if p.is_file()),
        "fts5": sum(p.stat().st_size for p in workdir.glob("fts5.sqlite3*") if p.is_file()),
    }
    return built


# --- Measuring ---------------------------------------------------------------------------


def percentiles(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return statistics.median(ordered), p95


def sample(
    queries: list[Query], run: Callable[[Query], object], *, rounds: int, seed: int
) -> dict[str, list[float]]:
    """Milliseconds per query class; every query once to warm up, then ``rounds`` passes
    in a shuffled order."""
    for query in queries:
        run(query)
    order = [query for _ in range(rounds) for query in queries]
    random.Random(seed).shuffle(order)
    timings: dict[str, list[float]] = {klass: [] for klass in CLASSES}
    for query in order:
        t0 = time.perf_counter()
        run(query)
        timings[query.klass].append((time.perf_counter() - t0) * 1000)
    return timings


def engine_runner(index: object, *, with_counts: bool) -> Callable[[Query], object]:
    import tantivy

    from moot.search.compiler import compile_query
    from moot.search.query import parse
    from moot.search.selectors import AGGREGATIONS

    def run(query: Query) -> object:
        searcher = index.searcher()  # type: ignore[attr-defined]
        compiled = compile_query(parse(query.text))
        if with_counts:
            searcher.aggregate(compiled.query, AGGREGATIONS)
        if query.newest:
            return searcher.search(
                compiled.query,
                20,
                count=False,
                order_by_field="recency",
                order=tantivy.Order.Desc,
            ).hits
        return searcher.search(compiled.query, 20, count=False).hits

    return run


def fts_runner(fts: sqlite3.Connection) -> Callable[[Query], object]:
    def run(query: Query) -> object:
        if query.department:
            sql = (
                "SELECT docs.rowid, bm25(docs) FROM docs JOIN meta ON meta.id = docs.rowid "
                "WHERE docs MATCH ? AND meta.department = ? ORDER BY bm25(docs) LIMIT 20"
            )
            params: tuple[object, ...] = (query.fts, query.department)
        elif query.year:
            sql = (
                "SELECT docs.rowid, bm25(docs) FROM docs JOIN meta ON meta.id = docs.rowid "
                "WHERE docs MATCH ? AND meta.date BETWEEN ? AND ? ORDER BY bm25(docs) LIMIT 20"
            )
            params = (query.fts, f"{query.year}-01-01", f"{query.year}-12-31")
        elif query.newest:
            sql = (
                "SELECT docs.rowid FROM docs JOIN meta ON meta.id = docs.rowid "
                "WHERE docs MATCH ? ORDER BY meta.date DESC, meta.id DESC LIMIT 20"
            )
            params = (query.fts,)
        else:
            sql = (
                "SELECT rowid, bm25(docs) FROM docs WHERE docs MATCH ? ORDER BY bm25(docs) LIMIT 20"
            )
            params = (query.fts,)
        return fts.execute(sql, params).fetchall()

    return run


# --- Reporting ---------------------------------------------------------------------------


def cell(samples: list[float] | None) -> str:
    if not samples:
        return "–"
    p50, p95 = percentiles(samples)
    return f"{p50:7.2f} / {p95:7.2f}"


def report(
    *,
    args: argparse.Namespace,
    built: Built,
    columns: dict[str, dict[str, list[float]]],
    loads: dict[str, str],
) -> None:
    import tantivy

    print()
    print(
        f"moot search benchmark: {os.cpu_count()} cores, Python {platform.python_version()}, "
        f"{tantivy.__version__}, SQLite {sqlite3.sqlite_version}"
    )
    print(
        f"Corpus: {built.items:,} written questions, {built.words / built.items:.0f} words each "
        f"on average, Zipf vocabulary of 50,000 words; 'policy' is in "
        f"{built.common_share:.1%} of them (generated in {built.generate_seconds:.0f} s, "
        "not counted)"
    )
    ratio = built.fts_seconds / built.tantivy_seconds
    print(
        f"Build: tantivy {built.tantivy_seconds:.1f} s "
        f"({built.items / built.tantivy_seconds:,.0f} items/s; "
        f"target at 1M < {TARGET_BUILD_S:.0f} s); FTS5 {built.fts_seconds:.1f} s "
        f"(with optimize) — FTS5 takes {ratio:.1f}× as long"
    )
    print(
        f"Size: tantivy {built.sizes['tantivy'] / 1e6:,.0f} MB (text stored for snippets), "
        f"FTS5 {built.sizes['fts5'] / 1e6:,.0f} MB"
    )
    for name, line in loads.items():
        print(f"Page corpus on {name}: {line}")
    print()
    names = list(columns)
    header = f"{'p50 / p95 in ms':24}" + "".join(f"{name:>22}" for name in names)
    print(header + f"{'FTS5/tantivy p95':>18}")
    for klass in CLASSES:
        row = f"{klass:24}" + "".join(f"{cell(columns[name].get(klass)):>22}" for name in names)
        engine = columns["tantivy top 20"].get(klass)
        fts = columns["FTS5 bm25() top 20"].get(klass)
        if engine and fts:
            row += f"{percentiles(fts)[1] / percentiles(engine)[1]:>17.0f}×"
        print(row)
    print()
    print(
        "tantivy top 20: the engine alone, as moot queries it. tantivy + counts: also the "
        "exact total and the type/department/year counts the page shows. page: GET /search/ "
        "through gunicorn (2 workers), including Django, the database and the template."
    )
    print(
        f"Targets at 1M items: engine p95 < {TARGET_ENGINE_P95_MS:.0f} ms, page p95 < "
        f"{TARGET_PAGE_P95_MS:.0f} ms for every class."
    )
    worst_engine = max(percentiles(v)[1] for v in columns["tantivy top 20"].values())
    print(f"Worst engine p95: {worst_engine:.2f} ms.", end="")
    pages = [v for name, col in columns.items() if name.startswith("page") for v in col.values()]
    if pages:
        print(f" Worst page p95: {max(percentiles(v)[1] for v in pages):.2f} ms.", end="")
    print()


def main(argv: Iterable[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--items", type=int, default=100_000, help="engine corpus size")
    parser.add_argument(
        "--http-items",
        type=int,
        default=None,
        help="items loaded into each database for the page (default: --items, at most 100k)",
    )
    parser.add_argument(
        "--databases", default="sqlite,postgresql", help="for the page: sqlite, postgresql, none"
    )
    parser.add_argument("--per-class", type=int, default=20, help="distinct queries per class")
    parser.add_argument("--rounds", type=int, default=10, help="passes over the engine queries")
    parser.add_argument("--fts-rounds", type=int, default=3, help="passes over FTS5 queries")
    parser.add_argument("--page-rounds", type=int, default=5, help="passes over page queries")
    parser.add_argument("--heap-mb", type=int, default=1000, help="tantivy indexing memory")
    parser.add_argument("--seed", type=int, default=20071203)
    parser.add_argument("--workdir", default=str(REPO / "bench" / "out" / "search"))
    parser.add_argument("--keep", action="store_true", help="keep the indexes and databases")
    args = parser.parse_args(list(argv) if argv is not None else None)
    http_items = args.http_items if args.http_items is not None else min(args.items, 100_000)
    databases = [d for d in args.databases.split(",") if d in DATABASES]

    workdir = Path(args.workdir)
    shutil.rmtree(workdir, ignore_errors=True)
    workdir.mkdir(parents=True)
    os.environ["MOOT_VAR_DIR"] = str(workdir / "engine-var")
    os.environ.pop("DATABASE_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "moot.settings")
    import django

    django.setup()

    corpus = Corpus(seed=args.seed)
    print(f"Building tantivy and FTS5 indexes of {args.items:,} items…", file=sys.stderr)
    built = build(corpus, items=args.items, workdir=workdir, heap_mb=args.heap_mb)
    queries = query_set(corpus, args.per_class)
    columns: dict[str, dict[str, list[float]]] = {}
    print("Measuring the engine…", file=sys.stderr)
    columns["tantivy top 20"] = sample(
        queries, engine_runner(built.index, with_counts=False), rounds=args.rounds, seed=1
    )
    columns["tantivy + counts"] = sample(
        queries, engine_runner(built.index, with_counts=True), rounds=args.rounds, seed=2
    )
    print("Measuring FTS5…", file=sys.stderr)
    assert built.fts is not None
    columns["FTS5 bm25() top 20"] = sample(
        queries, fts_runner(built.fts), rounds=args.fts_rounds, seed=3
    )
    built.fts.close()
    loads: dict[str, str] = {}
    for database in databases:
        print(f"Measuring the search page on {database}…", file=sys.stderr)
        timings, load_line = measure_pages(
            database=database,
            items=http_items,
            seed=args.seed,
            workdir=workdir,
            paths=[(q.klass, page_path(q)) for q in queries],
            rounds=args.page_rounds,
            classes=CLASSES,
        )
        columns[f"page {DATABASES[database]}"] = timings
        loads[DATABASES[database]] = load_line
    report(args=args, built=built, columns=columns, loads=loads)
    if not args.keep:
        shutil.rmtree(workdir, ignore_errors=True)


def page_path(query: Query) -> str:
    from urllib.parse import urlencode

    params = {"q": query.text}
    if query.newest:
        params["sort"] = "newest"
    return "/search/?" + urlencode(params)


if __name__ == "__main__":
    main()
