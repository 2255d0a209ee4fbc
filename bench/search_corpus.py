"""A synthetic corpus of written questions for the search benchmark.

Deterministic for a given seed, and generated in chunks so that any prefix (the first N
items) is the same whatever the total, and 1M items never sit in memory at once.

Words follow a Zipf distribution over a vocabulary of made-up but pronounceable words, as
word frequencies in real text do. On top of that some words and phrases are planted at
known rates, so that each query class has words of the frequency it needs: COMMON words
are each in about 30% of items, PHRASES in a few per cent.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np

VOCABULARY_SIZE = 50_000
ZIPF_EXPONENT = 1.07
MEAN_WORDS = 250
CHUNK = 10_000
FIRST_DAY = dt.date(2000, 1, 1)
DAYS = (dt.date(2024, 12, 31) - FIRST_DAY).days + 1

COMMON = ("policy", "safeguarding", "funding", "statutory")
COMMON_RATE = 0.30
PHRASES = (
    ("child", "sexual", "exploitation"),
    ("local", "authorities"),
    ("national", "curriculum"),
    ("waiting", "times"),
    ("social", "care"),
    ("youth", "offending", "teams"),
    ("housing", "benefit"),
    ("secondary", "schools"),
)
PHRASE_RATES = (0.01, 0.04, 0.02, 0.015, 0.03, 0.005, 0.02, 0.025)
DEPARTMENTS = (
    "Home Office",
    "Department of Health and Social Care",
    "Department for Education",
    "Ministry of Justice",
    "HM Treasury",
    "Department for Work and Pensions",
    "Ministry of Defence",
    "Foreign, Commonwealth and Development Office",
    "Department for Transport",
    "Department for Environment, Food and Rural Affairs",
    "Department for Business and Trade",
    "Department for Culture, Media and Sport",
    "Department for Energy Security and Net Zero",
    "Department for Science, Innovation and Technology",
    "Ministry of Housing, Communities and Local Government",
    "Cabinet Office",
    "Northern Ireland Office",
    "Scotland Office",
    "Wales Office",
    "Attorney General's Office",
)
MEMBERS = 650
PARTIES = ("Labour", "Conservative", "Liberal Democrat", "Scottish National Party")

_ONSETS = [
    "b",
    "c",
    "d",
    "f",
    "g",
    "h",
    "j",
    "k",
    "l",
    "m",
    "n",
    "p",
    "r",
    "s",
    "t",
    "v",
    "w",
    "z",
    "br",
    "ch",
    "cl",
    "cr",
    "dr",
    "fl",
    "fr",
    "gl",
    "gr",
    "pl",
    "pr",
    "sc",
    "sh",
    "sl",
    "sp",
    "st",
    "th",
    "tr",
]
_VOWELS = ["a", "e", "i", "o", "u", "ai", "ea", "ee", "oa", "oo", "ou"]
_CODAS = [
    *["b", "d", "g", "k", "l", "m", "n", "p", "r", "s", "t", "x"],
    "nd",
    "nt",
    "rk",
    "st",
    "ng",
    "",
]


def vocabulary(seed: int) -> list[str]:
    """VOCABULARY_SIZE distinct made-up words of two or three syllables."""
    rng = np.random.default_rng([seed, 0])
    words: dict[str, None] = {}
    while len(words) < VOCABULARY_SIZE:
        syllables = rng.integers(2, 4)
        word = "".join(
            _ONSETS[rng.integers(len(_ONSETS))]
            + _VOWELS[rng.integers(len(_VOWELS))]
            + _CODAS[rng.integers(len(_CODAS))]
            for _ in range(syllables)
        )
        if word not in COMMON:
            words[word] = None
    return list(words)


def member_names(seed: int) -> list[str]:
    rng = np.random.default_rng([seed, 1])
    given = [
        "Alex",
        "Sam",
        "Jo",
        "Chris",
        "Pat",
        "Robin",
        "Morgan",
        "Jamie",
        "Taylor",
        "Casey",
        "Helen",
        "Kevin",
        "Amira",
        "Tim",
        "Ruth",
    ]
    family = [
        "Smith",
        "Jones",
        "Patel",
        "Khan",
        "Brown",
        "Evans",
        "Hughes",
        "Wood",
        "Clarke",
        "Hall",
        "Ward",
        "Shaw",
        "Lloyd",
        "Moss",
    ]
    return [
        f"{given[rng.integers(len(given))]} {family[rng.integers(len(family))]} {n}"
        for n in range(MEMBERS)
    ]


@dataclass(frozen=True)
class Item:
    number: int
    title: str
    body: str
    date: dt.date
    department: int  # index into DEPARTMENTS
    member: int  # index into member_names()


class Corpus:
    def __init__(self, *, seed: int = 20071203) -> None:
        self.seed = seed
        self.words = np.array(vocabulary(seed), dtype=object)
        ranks = np.arange(1, VOCABULARY_SIZE + 1, dtype=np.float64)
        weights = ranks**-ZIPF_EXPONENT
        self.cumulative = np.cumsum(weights / weights.sum())
        # Departments are uneven too: the biggest answers many more questions.
        department_weights = np.arange(1, len(DEPARTMENTS) + 1, dtype=np.float64) ** -0.8
        self.department_cumulative = np.cumsum(department_weights / department_weights.sum())

    def word_rank(self, word: str) -> int:
        return int(np.nonzero(self.words == word)[0][0])

    def words_at_ranks(self, start: int, stop: int, count: int, *, salt: int) -> list[str]:
        rng = np.random.default_rng([self.seed, 2, salt])
        return [
            str(self.words[r]) for r in rng.choice(np.arange(start, stop), count, replace=False)
        ]

    def items(self, count: int, *, start: int = 0) -> Iterator[Item]:
        """Items ``start`` to ``start + count``, the same whatever else is generated."""
        first_chunk = start // CHUNK
        produced = 0
        chunk_index = first_chunk
        while produced < count:
            for item in self._chunk(chunk_index):
                if item.number < start:
                    continue
                yield item
                produced += 1
                if produced == count:
                    return
            chunk_index += 1

    def _chunk(self, index: int) -> Iterator[Item]:
        rng = np.random.default_rng([self.seed, 3, index])
        lengths = np.clip(rng.normal(MEAN_WORDS, 50, CHUNK).astype(int), 50, 600)
        title_lengths = rng.integers(4, 10, CHUNK)
        total = int(lengths.sum() + title_lengths.sum())
        ids = np.minimum(np.searchsorted(self.cumulative, rng.random(total)), VOCABULARY_SIZE - 1)
        tokens: list[str] = self.words[ids].tolist()
        days = rng.integers(0, DAYS, CHUNK).tolist()
        departments = np.searchsorted(self.department_cumulative, rng.random(CHUNK)).tolist()
        members = rng.integers(0, MEMBERS, CHUNK).tolist()
        common = (rng.random((CHUNK, len(COMMON))) < COMMON_RATE).tolist()
        phrases = (rng.random((CHUNK, len(PHRASES))) < np.array(PHRASE_RATES)).tolist()
        # Where in the body each planted word or phrase goes, as a fraction of its length.
        places = rng.random((CHUNK, len(COMMON) + len(PHRASES))).tolist()
        title_ends = np.cumsum(title_lengths + lengths) - lengths
        starts = (title_ends - title_lengths).tolist()
        title_ends = title_ends.tolist()
        body_ends = (np.cumsum(title_lengths + lengths)).tolist()
        for n in range(CHUNK):
            body = tokens[title_ends[n] : body_ends[n]]
            size = len(body)
            for k, word in enumerate(COMMON):
                if common[n][k]:
                    body[int(places[n][k] * size)] = word
            for k, phrase in enumerate(PHRASES):
                if phrases[n][k]:
                    at = int(places[n][len(COMMON) + k] * (size - len(phrase)))
                    body[at : at + len(phrase)] = phrase
            yield Item(
                number=index * CHUNK + n,
                title=" ".join(tokens[starts[n] : title_ends[n]]).capitalize(),
                body=" ".join(body).capitalize() + ".",
                date=FIRST_DAY + dt.timedelta(days=days[n]),
                department=departments[n],
                member=members[n],
            )
