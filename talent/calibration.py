"""Calibration of a success profile against what hired candidates achieved later.

For the hired candidates of the profile's role (linked to the person they became, with at
least ``MIN_TENURE_DAYS`` of tenure by the end of the post-hire window and a criterion
value in it):

- the match score is recomputed from the profile's stored model and the candidate's
  attributes (the ones recorded when they applied), so an older version is judged by its
  own model;
- the criterion is the profile's indicator over the chosen post-hire window, summed the
  same way as when profiles are built (talent.selectors.criterion_values);
- "became a high performer" means reaching the top ``top_share`` of *all* people of the
  role in that window (not only of the hires), the profile's own definition.

Figures:

- Pearson's r with the 95% interval from Fisher's z transform (``scipy.stats.pearsonr``'s
  ``confidence_interval``): tanh(atanh r ± 1.96 / √(n − 3)).
- Spearman's ρ (``scipy.stats.spearmanr``) with the 95% interval from Fisher's z using the
  Bonett & Wright (2000, Psychometrika 65:23–28) standard error √((1 + ρ²/2) / (n − 3)),
  which keeps the coverage of the Fisher interval for rank correlations.
- AUC of the score for becoming a high performer (talent.stats.auc, the Mann–Whitney form).
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from org.models import Person

from .choices import CandidateStage
from .matching import profile_scores
from .models import Candidate, SuccessProfile
from .selectors import criterion_values
from .stats import auc, high_performer_flags

MIN_TENURE_DAYS = 180
MIN_HIRES = 10  # below this the figures are shown with a warning
CONFIDENCE = 0.95

# Operational validities (corrected for range restriction and criterion unreliability) of
# selection procedures from Sackett, Zhang, Berry & Lievens (2022), "Revisiting meta-analytic
# estimates of validity in personnel selection", Journal of Applied Psychology 107(11), 2040–2068.
# They are corrected figures: an observed correlation inside one company is expected to be lower.
PUBLISHED_VALIDITIES = (
    (_("Structured interviews"), 0.42),
    (_("Job knowledge tests"), 0.40),
    (_("Empirically keyed biodata"), 0.38),
    (_("Work sample tests"), 0.33),
    (_("Cognitive ability tests"), 0.31),
    (_("Unstructured interviews"), 0.19),
)
PUBLISHED_SOURCE = "Sackett, Zhang, Berry & Lievens (2022), Journal of Applied Psychology 107(11), 2040–2068"


@dataclass
class Correlation:
    """A correlation coefficient with its two-sided p-value and 95% confidence interval."""

    r: float | None
    low: float | None
    high: float | None
    p: float | None


def _none_if_nan(value) -> float | None:
    return float(value) if value is not None and math.isfinite(float(value)) else None


def pearson_with_ci(x, y, confidence: float = CONFIDENCE) -> Correlation:
    """Pearson's r, its p-value and the Fisher-z confidence interval (needs n ≥ 4 and variation in both)."""
    x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    if len(x) < 4 or np.ptp(x) == 0 or np.ptp(y) == 0:
        return Correlation(None, None, None, None)
    from scipy import stats as sps  # imported here: see talent.stats

    result = sps.pearsonr(x, y)
    interval = result.confidence_interval(confidence_level=confidence)
    return Correlation(
        _none_if_nan(result.statistic), _none_if_nan(interval.low), _none_if_nan(interval.high), float(result.pvalue)
    )


def spearman_with_ci(x, y, confidence: float = CONFIDENCE) -> Correlation:
    """Spearman's ρ, its p-value and the Fisher-z interval with the Bonett–Wright standard error."""
    x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    if len(x) < 4 or np.ptp(x) == 0 or np.ptp(y) == 0:
        return Correlation(None, None, None, None)
    from scipy import stats as sps

    result = sps.spearmanr(x, y)
    rho = float(result.statistic)
    if abs(rho) >= 1:
        return Correlation(rho, rho, rho, float(result.pvalue))
    se = math.sqrt((1 + rho**2 / 2) / (len(x) - 3))
    from scipy import stats as sps

    z = sps.norm.ppf(0.5 + confidence / 2)
    centre = math.atanh(rho)
    return Correlation(rho, math.tanh(centre - z * se), math.tanh(centre + z * se), float(result.pvalue))


@dataclass
class CalibrationFigures:
    """The relation between match score at hire and the criterion later, for one set of hires."""

    n: int
    n_high: int
    pearson: Correlation
    spearman: Correlation
    auc: float | None


def calibration_figures(frame: pd.DataFrame) -> CalibrationFigures:
    """Figures from a frame with columns ``score``, ``criterion`` and ``is_high`` (one row per hire)."""
    frame = frame.dropna(subset=["score", "criterion"])
    is_high = frame["is_high"].astype(bool).to_numpy()
    return CalibrationFigures(
        n=len(frame),
        n_high=int(is_high.sum()),
        pearson=pearson_with_ci(frame["score"], frame["criterion"]),
        spearman=spearman_with_ci(frame["score"], frame["criterion"]),
        auc=auc(frame["score"].to_numpy(), is_high) if len(frame) else None,
    )


# --- reading the data -------------------------------------------------------------------


@dataclass
class Calibration:
    """A profile's calibration: the hires' rows, the figures and the warnings to show."""

    profile: SuccessProfile
    window_from: dt.date
    window_to: dt.date
    rows: pd.DataFrame
    figures: CalibrationFigures
    warnings: list[str] = field(default_factory=list)


def profile_calibration(
    profile: SuccessProfile, *, window_from: dt.date, window_to: dt.date, candidates=None
) -> Calibration:
    """Match score at hire vs. the criterion in the post-hire window for the profile's role (four queries).

    ``candidates``: the queryset to draw hires from (scoped to the user by the caller).
    """
    candidates = Candidate.objects.all() if candidates is None else candidates
    hires = list(
        candidates.filter(role=profile.role, stage=CandidateStage.HIRED, hired_as__isnull=False).values_list(
            "pk", "external_id", "name", "hired_as_id"
        )
    )
    latest_hire = window_to - dt.timedelta(days=MIN_TENURE_DAYS)
    hire_dates = dict(
        Person.objects.filter(pk__in=[row[3] for row in hires], hire_date__lte=latest_hire).values_list(
            "pk", "hire_date"
        )
    )
    hires = [row for row in hires if row[3] in hire_dates]
    criterion = criterion_values(
        indicator=profile.criterion,
        role=profile.role,
        period=profile.period,
        window_from=window_from,
        window_to=window_to,
    )
    is_high = high_performer_flags(criterion, profile.top_share)
    matches = profile_scores(profile, [row[0] for row in hires])
    rows = pd.DataFrame(
        [
            {
                "candidate": external_id,
                "name": name,
                "person_id": person_id,
                "hire_date": hire_dates[person_id],
                "score": matches[pk].score,
                "criterion": criterion.get(person_id, np.nan),
                "is_high": bool(is_high.get(person_id, False)),
            }
            for pk, external_id, name, person_id in hires
        ],
        columns=["candidate", "name", "person_id", "hire_date", "score", "criterion", "is_high"],
    )
    rows = rows.dropna(subset=["criterion"]).reset_index(drop=True)
    figures = calibration_figures(rows)
    warnings = []
    if figures.n < MIN_HIRES:
        warnings.append(
            gettext(
                "Only %(n)d hires have enough post-hire data (at least %(days)d days in the role and a value of "
                "the criterion in the window); treat the figures as anecdotes until there are %(min)d or more."
            )
            % {"n": figures.n, "days": MIN_TENURE_DAYS, "min": MIN_HIRES}
        )
    return Calibration(
        profile=profile, window_from=window_from, window_to=window_to, rows=rows, figures=figures, warnings=warnings
    )
