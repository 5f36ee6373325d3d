import datetime

import pytest

from bulletin.periods import period_label

D = datetime.date


@pytest.mark.parametrize(
    "start, end, language, expected",
    [
        (D(2018, 11, 12), D(2018, 11, 18), "en", "November 12 – November 18, 2018"),
        (D(2018, 11, 12), D(2018, 11, 18), "ru", "12 – 18 ноября 2018"),
        (D(2018, 11, 12), D(2018, 11, 18), "be", "12 – 18 лістапада 2018"),
        (D(2018, 11, 26), D(2018, 12, 2), "en", "November 26 – December 2, 2018"),
        (D(2018, 11, 26), D(2018, 12, 2), "ru", "26 ноября – 2 декабря 2018"),
        (D(2018, 11, 26), D(2018, 12, 2), "be", "26 лістапада – 2 снежня 2018"),
        (D(2018, 12, 31), D(2019, 1, 6), "en", "December 31, 2018 – January 6, 2019"),
        (D(2018, 12, 31), D(2019, 1, 6), "ru", "31 декабря 2018 – 6 января 2019"),
        (D(2018, 12, 31), D(2019, 1, 6), "be", "31 снежня 2018 – 6 студзеня 2019"),
        (D(2019, 2, 25), D(2019, 3, 3), "be", "25 лютага – 3 сакавіка 2019"),
        (D(2019, 4, 29), D(2019, 5, 5), "be", "29 красавіка – 5 мая 2019"),
        (D(2019, 9, 2), D(2019, 9, 8), "be", "2 – 8 верасня 2019"),
        (D(2019, 4, 29), D(2019, 5, 5), "ru", "29 апреля – 5 мая 2019"),
    ],
)
def test_period_label(start, end, language, expected):
    assert period_label(start, end, language) == expected


@pytest.mark.parametrize(
    "language, expected",
    [("en", "April 8 – April 14"), ("ru", "8 – 14 апреля"), ("be", "8 – 14 красавіка")],
)
def test_period_label_without_year(language, expected):
    assert period_label(D(2019, 4, 8), D(2019, 4, 14), language, with_year=False) == expected
