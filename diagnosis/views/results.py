"""A round's results: the page with its radar, the XLSX export and the printable page."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from ..charts import radar_figure
from ..choices import Dimension, RadarSeries
from ..export import round_results_xlsx
from ..models import AssessmentRound
from ..radar import SeriesValues, part_rows, self_axes_from_scores, unit_radar
from ..results import round_results
from .rounds import viewable_round


def _round_radar(assessment_round: AssessmentRound, results) -> tuple[SeriesValues, SeriesValues]:
    """This round's scores as the self-assessed series, beside the unit's current data-derived series."""
    own = SeriesValues(
        series=RadarSeries.SELF_ASSESSED,
        computed_at=assessment_round.closed_at,
        axes=self_axes_from_scores({row["root_cause"]: row["score"] for row in results.scores}),
        assessment_round=assessment_round,
    )
    return own, unit_radar(assessment_round.org_unit).data_derived


@login_required
def round_results_page(request, pk):
    """Aggregated results: scores and levels, spread, radar, symptoms with roots and data, interventions."""
    assessment_round = viewable_round(request, pk)
    results = round_results(assessment_round, submitted=assessment_round.submitted_count)
    context = {
        "round": assessment_round,
        "results": results,
        "dimensions": [(d, Dimension(d).label) for d in results.focus_dimensions],
        "charts": [],
    }
    if results.available:
        own, data = _round_radar(assessment_round, results)
        context.update(
            radar_series=[own, data],
            radar_rows=radar_rows(own, data),
            charts=[{"id": "radar-figure", "figure": radar_figure([own, data])}],
        )
    return render(request, "diagnosis/round_results.html", context)


@login_required
def round_export_xlsx(request, pk):
    """The round's aggregated results as an XLSX file; refused until the results are open."""
    assessment_round = viewable_round(request, pk)
    results = round_results(assessment_round, submitted=assessment_round.submitted_count)
    if not results.available:
        messages.error(
            request,
            _("Results open once at least %(n)s respondents have submitted; there is nothing to export yet.")
            % {"n": results.min_respondents},
        )
        return redirect("diagnosis:round-results", pk=pk)
    response = HttpResponse(
        round_results_xlsx(assessment_round, results),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="self-check-round-{assessment_round.pk}.xlsx"'
    return response


@login_required
def round_print(request, pk):
    """A printable page of the round's aggregated results."""
    assessment_round = viewable_round(request, pk)
    results = round_results(assessment_round, submitted=assessment_round.submitted_count)
    if not results.available:
        messages.error(request, _("Results are not open yet, so there is nothing to print."))
        return redirect("diagnosis:round-results", pk=pk)
    own, data = _round_radar(assessment_round, results)
    return render(
        request,
        "diagnosis/round_print.html",
        {
            "round": assessment_round,
            "results": results,
            "dimensions": [(d, Dimension(d).label) for d in results.focus_dimensions],
            "radar_rows": radar_rows(own, data),
            "printed_at": timezone.now(),
        },
    )


def radar_rows(own: SeriesValues, data: SeriesValues) -> list[dict]:
    """The table under a radar: per axis the self-assessed and the data-derived value, and the latter's parts."""
    return [
        {
            "axis": axis,
            "self": own.axes[index],
            "data": data.axes[index],
            "parts": part_rows(data.axes[index]),
        }
        for index, axis in enumerate(data.axes)
    ]
