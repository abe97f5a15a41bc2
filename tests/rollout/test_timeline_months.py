"""The program timeline and the pilot chart name months in the page's language (plotly.js alone would write
English month names), and their hovers write days the same way."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest
from django.utils import translation

from rollout.charts import month_ticks, pilot_figure


def test_month_ticks_cover_the_span_in_chinese():
    with translation.override("zh-hans"):
        ticks = month_ticks([dt.date(2026, 10, 15), dt.date(2027, 1, 3), dt.date(2026, 12, 3)])
    assert ticks["tickvals"] == ["2026-10-01", "2026-11-01", "2026-12-01", "2027-01-01"]
    assert ticks["ticktext"] == ["2026年10月", "2026年11月", "2026年12月", "2027年1月"]


def test_a_long_span_gets_every_second_month_in_english():
    with translation.override("en"):
        ticks = month_ticks([dt.date(2026, 1, 10), dt.date(2026, 12, 20)])
    assert ticks["ticktext"] == [
        "January 2026",
        "March 2026",
        "May 2026",
        "July 2026",
        "September 2026",
        "November 2026",
    ]


@pytest.mark.parametrize(
    ("language", "labels"),
    [("zh-hans", ["2026年11月", "2026年12月"]), ("en", ["November 2026", "December 2026"])],
)
def test_the_pilot_chart_names_its_months(language, labels):
    result = SimpleNamespace(
        months=[dt.date(2026, 11, 1), dt.date(2026, 12, 1)],
        pilot_means=[1.0, 2.0],
        control_means=[1.0, 1.5],
        key=SimpleNamespace(indicator=SimpleNamespace(unit="percent")),
    )
    with translation.override(language):
        figure = pilot_figure(result, dt.date(2026, 12, 3))
    assert figure["data"][0]["x"] == labels
    assert figure["layout"]["shapes"][0]["x0"] == labels[1]


@pytest.mark.chinese
def test_the_program_page_timeline_and_dates_read_in_chinese(client, program, co_leads):
    import json
    import re

    from django.urls import reverse

    from rollout.services import milestone_create

    _sponsor, hr = co_leads
    milestone_create(program=program, step=1, title="Kick-off", due_date=dt.date(2026, 6, 2), owner=hr)
    client.force_login(hr)
    text = client.get(reverse("rollout:program", args=[program.pk])).content.decode()
    block = re.search(r'<script id="program-timeline" type="application/json">(.*?)</script>', text, re.S)
    figure = json.loads(block.group(1))
    assert "2026年4月" in figure["layout"]["xaxis"]["ticktext"]
    diamonds = [trace for trace in figure["data"] if trace.get("text") == ["Kick-off"]]
    assert diamonds[0]["customdata"] == ["2026年6月2日"]
    assert "2026年4月10日" in text  # the program's start date in the page's text
