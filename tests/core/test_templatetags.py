import datetime as dt

import pytest

from moot.core.templatetags.moot import file_size, govuk_date, govuk_datetime, ordinal_date


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (1, "1st"),
        (2, "2nd"),
        (3, "3rd"),
        (4, "4th"),
        (11, "11th"),
        (12, "12th"),
        (13, "13th"),
        (21, "21st"),
        (22, "22nd"),
        (23, "23rd"),
        (31, "31st"),
    ],
)
def test_ordinal_date(day: int, expected: str) -> None:
    assert ordinal_date(dt.date(2007, 12, day)) == f"{expected} December 2007"


def test_govuk_dates() -> None:
    assert govuk_date(dt.date(2008, 6, 12)) == "12 June 2008"
    assert govuk_date(None) == ""


def test_govuk_datetime_uses_london_time() -> None:
    moment = dt.datetime(2008, 6, 12, 22, 59, tzinfo=dt.UTC)  # 11:59pm British Summer Time
    assert govuk_datetime(moment) == "11:59pm on 12 June 2008"
    assert (
        govuk_datetime(dt.datetime(2008, 1, 5, 12, 0, tzinfo=dt.UTC)) == "midday on 5 January 2008"
    )


def test_file_size() -> None:
    assert file_size(512) == "512 bytes"
    assert file_size(46_000) == "45 KB"
    assert file_size(1_300_000) == "1.2 MB"
