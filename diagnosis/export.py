"""A round's results as an XLSX workbook: aggregates only, never a respondent or a single answer."""

from __future__ import annotations

from io import BytesIO

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from org.exports import safe_row

from .choices import Dimension
from .models import AssessmentRound
from .results import RoundResults


def _sheet(workbook: Workbook, title: str, header: list[str], rows: list[list], *, first: bool = False):
    sheet = workbook.active if first else workbook.create_sheet()
    sheet.title = title[:31]
    sheet.append(safe_row(header))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append(safe_row(row))
    for column in sheet.columns:
        width = max(len(str(cell.value or "")) for cell in column)
        sheet.column_dimensions[column[0].column_letter].width = min(80, max(10, width + 2))
    return sheet


def _num(value, places: int = 2):
    return None if value is None else round(float(value), places)


def round_results_xlsx(assessment_round: AssessmentRound, results: RoundResults) -> bytes:
    """Summary, root-cause scores with spread, symptoms with triangulation, and interventions.

    The caller checks that the results are open (``results.available``) first.
    """
    workbook = Workbook()
    closed = assessment_round.closed_at
    _sheet(
        workbook,
        _("Summary"),
        [_("Field"), _("Value")],
        [
            [_("Round"), assessment_round.title],
            [_("Org unit"), f"{assessment_round.org_unit.name} ({assessment_round.org_unit.code})"],
            [_("Questionnaire"), str(assessment_round.questionnaire)],
            [_("Opened"), timezone.localtime(assessment_round.opened_at).strftime("%Y-%m-%d %H:%M")],
            [_("Closed"), timezone.localtime(closed).strftime("%Y-%m-%d %H:%M") if closed else _("open")],
            [_("Submitted responses"), results.submitted],
            [_("Data quarter"), assessment_round.data_period_start.strftime("%Y-%m")],
            [
                _("Scoring"),
                _(
                    "A Likert answer a scores (a − 1) / 4 × 100 (reverse items use 6 − a); “not applicable” is "
                    "skipped; a respondent's root-cause score is the weighted mean of their items; the round's "
                    "score is the mean over respondents. Below 40 weak, 40 to below 70 developing, 70 and above strong."
                ),
            ],
        ],
        first=True,
    )
    _sheet(
        workbook,
        _("Root-cause scores"),
        [_("Root cause"), _("Score"), _("Level"), _("Respondents"), _("Standard deviation"), _("Lowest"), _("Highest")],
        [
            [
                str(row["label"]),
                _num(row["score"]),
                str(row["level_label"]) if row["level_label"] else _("no data"),
                row["n"],
                _num(row["sd"]),
                _num(row["min"]),
                _num(row["max"]),
            ]
            for row in results.scores
        ],
    )
    _sheet(
        workbook,
        _("Symptoms"),
        [
            _("Symptom indicator"),
            _("Reported by"),
            _("Rated by"),
            _("Mean severity (0-3)"),
            _("Evidence"),
            _("This unit"),
            _("Median of same-level units"),
            _("Units compared"),
            _("Possible roots, weakest first"),
        ],
        [
            [
                s["triangulation"].indicator_name,
                s["reported"],
                s["n"],
                _num(s["mean_severity"]),
                str(s["evidence_label"]),
                _num(s["triangulation"].unit_value),
                _num(s["triangulation"].median),
                s["triangulation"].peer_count,
                "; ".join(root["text"] for root in s["roots"]),
            ]
            for s in results.symptoms
        ],
    )
    _sheet(
        workbook,
        _("Interventions"),
        [_("Root cause"), _("Dimension"), _("Action")],
        [
            [str(block["label"]), str(Dimension(block["dimension"]).label), action]
            for block in results.interventions
            for action in block["actions"]
        ],
    )
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
