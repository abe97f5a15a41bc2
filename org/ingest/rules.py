"""Reusable checks for dataset declarations (rules that span two fields of one record)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from .validation import Batch


def not_before(later: str, earlier: str):
    """A check: ``later`` (a date) may be empty but not before ``earlier`` (e.g. exit_date and hire_date)."""

    def check(batch: Batch) -> None:
        for index, (late, early) in enumerate(zip(batch.values[later], batch.values[earlier], strict=True)):
            if late is not None and early is not None and late < early:
                batch.error(
                    index,
                    later,
                    _("%(later)s (%(late)s) is before %(earlier)s (%(early)s).")
                    % {"later": later, "late": late.isoformat(), "earlier": earlier, "early": early.isoformat()},
                )

    check.__doc__ = f"{later} is not before {earlier}."
    return check
