"""Days, months and times as a page writes them in text: in the active language, in the deployment's time zone.

Templates use Django's ``date`` filter with the locale's named formats (``|date:"DATE_FORMAT"``,
``"YEAR_MONTH_FORMAT"``, ``"DATETIME_FORMAT"``), which also converts an aware time to ``TIME_ZONE``; Python
code (charts, generated sentences, exports) uses these functions, which do the same. Inputs are another
matter: they carry ISO values (``org.ui.forms.DateInput``).

zh-Hans: 2026年12月3日, 2026年12月, 2026年12月3日 14:30. en: Dec. 3, 2026, December 2026, Dec. 3, 2026, 2:30 p.m.
"""

from __future__ import annotations

import datetime as dt

from django.utils import formats, timezone


def day_text(day: dt.date) -> str:
    """A day in the active language (2026年12月3日 / Dec. 3, 2026)."""
    return formats.date_format(day, "DATE_FORMAT")


def month_text(day: dt.date) -> str:
    """The month of ``day`` in the active language (2026年12月 / December 2026)."""
    return formats.date_format(day, "YEAR_MONTH_FORMAT")


def moment_text(value: dt.datetime) -> str:
    """An aware time in the deployment's time zone and the active language (2026年12月3日 14:30)."""
    return formats.date_format(timezone.localtime(value), "DATETIME_FORMAT")


def month_starts(first: dt.date, last: dt.date) -> list[dt.date]:
    """The first day of every month from the month of ``first`` to the month of ``last``."""
    index, end = first.year * 12 + first.month - 1, last.year * 12 + last.month - 1
    return [dt.date(i // 12, i % 12 + 1, 1) for i in range(index, end + 1)]
