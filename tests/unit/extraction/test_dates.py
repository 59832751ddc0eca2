from __future__ import annotations

from datetime import date

from services.extraction.dates import find_dates, infer_publication_date

PUB = date(2024, 3, 15)  # a Friday


def first(text: str, pub: date | None = PUB) -> tuple[date, int]:
    hits = find_dates(text, pub)
    assert hits, text
    return hits[0].value, hits[0].precision


def test_weekday_is_the_last_one_on_or_before_publication() -> None:
    assert first("Gunmen struck on Wednesday.") == (date(2024, 3, 13), 1)
    assert first("It happened on Friday.") == (date(2024, 3, 15), 1)
    assert first("It happened last Friday.") == (date(2024, 3, 8), 1)


def test_relative_days_and_weeks() -> None:
    assert first("An overnight raid hit the camp.") == (date(2024, 3, 14), 1)
    assert first("Yesterday the convoy was hit.") == (date(2024, 3, 14), 1)
    assert first("Fighting broke out last week.") == (date(2024, 3, 8), 2)


def test_month_parts_are_month_precision_and_roll_back_a_year() -> None:
    assert first("Clashes were reported in late February.") == (date(2024, 2, 25), 3)
    assert first("Clashes were reported in early November.") == (date(2023, 11, 5), 3)


def test_calendar_days_in_both_orders_and_ordinals() -> None:
    assert first("On March 3rd, a mine exploded.") == (date(2024, 3, 3), 1)
    assert first("Le 2 mars 2024, une embuscade.") == (date(2024, 3, 2), 1)
    assert first("On Tuesday, 5 March 2024, a strike.")[0] == date(2024, 3, 5)


def test_reporting_date_comes_after_the_event_date() -> None:
    hits = find_dates("The army said on Thursday that the post was attacked on Tuesday.", PUB)
    assert hits[0].value == date(2024, 3, 12)
    assert hits[-1].reporting


def test_no_publication_date_means_no_relative_resolution() -> None:
    assert find_dates("They struck on Monday.", None) == []


def test_publication_date_inferred_from_latest_full_date() -> None:
    text = "Photo taken 2 May 2023. On May 9, 2023, the mission said it left."
    assert infer_publication_date(text) == date(2023, 5, 9)
