"""Match scores of candidates against a success profile (reads; the arithmetic is in talent.stats)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from .models import SuccessProfile
from .selectors import candidate_attribute_frame, candidates_visible
from .stats import feature_matrix, match_scores


@dataclass(frozen=True)
class Match:
    """One candidate's score (0–100) and its log-odds decomposition: logit(score/100) = baseline + Σ contributions."""

    candidate_id: int
    score: float
    logit: float
    baseline: float
    contributions: dict[str, float]
    missing: tuple[str, ...]


def profile_scores(profile: SuccessProfile, candidate_ids: Iterable[int]) -> dict[int, Match]:
    """Score the given candidates with the profile's stored model (one attribute query, vectorised)."""
    ids = list(candidate_ids)
    if not ids:
        return {}
    features = profile.model.get("features", [])
    wide = candidate_attribute_frame(ids).reindex(ids)
    matrix = feature_matrix(wide, features)
    scores = match_scores(matrix, profile.model)
    missing = matrix.isna()
    names = [feature["feature"] for feature in features]
    result = {}
    for candidate_id, score, logit, contributions, gaps in zip(
        ids,
        scores.score.to_numpy(),
        scores.logit.to_numpy(),
        scores.contributions.to_numpy(),
        missing.to_numpy(),
        strict=True,
    ):
        result[candidate_id] = Match(
            candidate_id=candidate_id,
            score=float(score),
            logit=float(logit),
            baseline=float(scores.intercept),
            contributions={name: float(value) for name, value in zip(names, contributions, strict=True)},
            missing=tuple(name for name, gap in zip(names, gaps, strict=True) if gap),
        )
    return result


def ranked_matches(
    profile: SuccessProfile, user, *, min_score: float | None = None, stage: str | None = None
) -> list[dict]:
    """Rows for every candidate of the profile's role the user may see, best score first (two queries).

    Scores are computed from the profile's stored model, so an older version ranks the same
    candidates by its own model.
    """
    candidates = candidates_visible(user).filter(role=profile.role).order_by("external_id")
    if stage:
        candidates = candidates.filter(stage=stage)
    candidates = list(candidates)
    matches = profile_scores(profile, [candidate.pk for candidate in candidates])
    rows = []
    for candidate in candidates:
        match = matches[candidate.pk]
        if min_score is not None and match.score < min_score:
            continue
        rows.append(
            {
                "candidate": candidate.external_id,
                "name": candidate.name,
                "org_unit": candidate.org_unit.code,
                "stage": candidate.stage,
                "score": round(match.score, 2),
                "baseline": match.baseline,
                "contributions": match.contributions,
                "missing": list(match.missing),
                "object": candidate,
            }
        )
    rows.sort(key=lambda row: (-row["score"], row["candidate"]))
    return rows
