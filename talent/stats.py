"""Statistics of success profiles: pure functions on pandas/numpy objects, no ORM.

The method (DESIGN.md section 6):

1. High performers are the top ``top_share`` of a role's people by the criterion
   (ties broken by the subject key, so a rebuild gives the same groups); the control
   group is the rest.
2. Each factor is tested: numeric factors with Welch's t-test and Cohen's d (pooled
   standard deviation), yes/no factors with Fisher's exact test and Cohen's h; a
   categorical factor is one yes/no test per level. Missing values leave the subject
   out of that one test.
3. Benjamini–Hochberg q-values over all tests of the profile; a feature is selected
   when q ≤ ``max_q`` and |effect| ≥ ``min_effect``.
4. The match model is an L2-regularised (ridge) logistic regression on the selected
   features, standardised with the training means and standard deviations (sample
   sd, ddof=1); the intercept is not penalised. statsmodels' GLM binomial
   ``fit_regularized(L1_wt=0)`` minimises ``-loglik/n + penalty/2 · |β|²``. A missing
   value is imputed with the training mean (z = 0, so it contributes nothing).
5. A match score is the model's probability × 100. Its decomposition is additive on the
   log-odds scale: ``logit(score / 100) = intercept + Σ contributions`` with
   ``contribution_j = β_j · z_j``; a factor at the training mean contributes 0.
6. AUC is the Mann–Whitney U statistic divided by n_high · n_control (ties count ½);
   the cross-validated AUC is the mean over 5 stratified folds of the out-of-fold AUC,
   each fold repeating steps 2–4 on its training part only (so selection is validated too).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

# scipy and statsmodels are imported inside the functions that use them: together they take seconds to import,
# and every process (web, worker, manage.py) would pay that at start-up, since the admin imports this module.

NUMERIC, BOOLEAN, CATEGORICAL = "numeric", "boolean", "categorical"
TRUE_TEXT, FALSE_TEXT = "true", "false"

DEFAULT_TOP_SHARE = 0.25
DEFAULT_MAX_Q = 0.05
DEFAULT_MIN_EFFECT = 0.2
DEFAULT_PENALTY = 0.01
MIN_GROUP_SIZE = 30
FOLDS = 5

TEST_COLUMNS = [
    "feature",
    "factor",
    "level",
    "kind",
    "n_high",
    "n_control",
    "high",
    "control",
    "high_sd",
    "control_sd",
    "effect",
    "p",
    "q",
    "selected",
    "weight",
]


# --- groups -----------------------------------------------------------------------------


def high_performer_flags(criterion: pd.Series, top_share: float = DEFAULT_TOP_SHARE) -> pd.Series:
    """True for the top ``top_share`` of subjects by criterion value (NaNs dropped).

    The group size is ``top_share × n`` rounded half up, at least 1 and at most n − 1;
    equal values are ordered by the subject key so the split is deterministic.
    """
    values = criterion.dropna().astype(float)
    n = len(values)
    if n == 0:
        return pd.Series(dtype=bool)
    k = min(max(math.floor(top_share * n + 0.5), 1), max(n - 1, 1))
    order = values.to_frame("value").rename_axis("key").reset_index()
    order = order.sort_values(["value", "key"], ascending=[False, True], kind="mergesort")
    flags = pd.Series(False, index=values.index)
    flags.loc[order["key"].iloc[:k].to_numpy()] = True
    return flags


# --- features ---------------------------------------------------------------------------


def feature_name(factor: str, level: str = "") -> str:
    """The model column of a factor (or of one level of a categorical factor)."""
    return f"{factor}={level}" if level else factor


def feature_specs(wide: pd.DataFrame, kinds: Mapping[str, str]) -> list[dict]:
    """One spec per model column: numeric and yes/no factors as they are, categorical ones per observed level."""
    specs = []
    for factor in wide.columns:
        kind = kinds.get(factor)
        if kind in (NUMERIC, BOOLEAN):
            specs.append({"feature": factor, "factor": factor, "level": "", "kind": kind})
        elif kind == CATEGORICAL:
            for level in sorted(wide[factor].dropna().unique()):
                specs.append(
                    {"feature": feature_name(factor, level), "factor": factor, "level": level, "kind": BOOLEAN}
                )
    return specs


def feature_matrix(wide: pd.DataFrame, specs: Sequence[Mapping]) -> pd.DataFrame:
    """Float columns for the given specs from a subject × factor frame of value texts (NaN = missing)."""
    columns = {}
    for spec in specs:
        factor = spec["factor"]
        raw = wide[factor] if factor in wide.columns else pd.Series(np.nan, index=wide.index, dtype=object)
        if spec["level"]:
            column = (raw == spec["level"]).astype(float).where(raw.notna())
        elif spec["kind"] == BOOLEAN:
            column = raw.map({TRUE_TEXT: 1.0, FALSE_TEXT: 0.0}).astype(float)
        else:
            column = pd.to_numeric(raw, errors="coerce").astype(float)
        columns[spec["feature"]] = column
    return pd.DataFrame(columns, index=wide.index, columns=[spec["feature"] for spec in specs])


# --- tests ------------------------------------------------------------------------------


def _numeric_tests(high: pd.DataFrame, control: pd.DataFrame) -> pd.DataFrame:
    """Welch's t-test and Cohen's d for every numeric column at once (missing values left out per column).

    The t-tests come from the group means, standard deviations and counts
    (``scipy.stats.ttest_ind_from_stats``, the same test as ``ttest_ind(equal_var=False)``).
    """
    n1, n2 = high.count(), control.count()
    m1, m2 = high.mean(), control.mean()
    s1, s2 = high.std(ddof=1), control.std(ddof=1)
    rows = pd.DataFrame(
        {"n_high": n1, "n_control": n2, "high": m1, "control": m2, "high_sd": s1, "control_sd": s2},
        index=high.columns,
    )
    pooled = np.sqrt(((n1 - 1) * s1**2 + (n2 - 1) * s2**2) / (n1 + n2 - 2))
    testable = (n1 >= 2) & (n2 >= 2) & (pooled > 0)
    rows["effect"] = ((m1 - m2) / pooled).where(testable)
    rows["p"] = np.nan
    if testable.any():
        cols = testable[testable].index
        from scipy import stats as sps

        result = sps.ttest_ind_from_stats(
            m1[cols].to_numpy(),
            s1[cols].to_numpy(),
            n1[cols].to_numpy(),
            m2[cols].to_numpy(),
            s2[cols].to_numpy(),
            n2[cols].to_numpy(),
            equal_var=False,
        )
        rows.loc[cols, "p"] = result.pvalue
    return rows


def _boolean_test(high: np.ndarray, control: np.ndarray) -> dict:
    n1, n2 = len(high), len(control)
    row = {
        "n_high": n1,
        "n_control": n2,
        "high": float(high.mean()) if n1 else np.nan,
        "control": float(control.mean()) if n2 else np.nan,
        "high_sd": np.nan,
        "control_sd": np.nan,
        "effect": np.nan,
        "p": np.nan,
    }
    if n1 == 0 or n2 == 0:
        return row
    yes1, yes2 = int(high.sum()), int(control.sum())
    row["effect"] = 2 * math.asin(math.sqrt(row["high"])) - 2 * math.asin(math.sqrt(row["control"]))
    from scipy import stats as sps

    row["p"] = float(sps.fisher_exact([[yes1, n1 - yes1], [yes2, n2 - yes2]]).pvalue)
    return row


def factor_tests(
    matrix: pd.DataFrame,
    specs: Sequence[Mapping],
    is_high: pd.Series,
    *,
    max_q: float = DEFAULT_MAX_Q,
    min_effect: float = DEFAULT_MIN_EFFECT,
) -> pd.DataFrame:
    """One row per feature: group sizes, means or proportions, effect size, p, BH q-value, selected."""
    high_mask = is_high.reindex(matrix.index).fillna(False).to_numpy(dtype=bool)
    numeric = [spec["feature"] for spec in specs if spec["kind"] == NUMERIC]
    numeric_rows = _numeric_tests(matrix.loc[high_mask, numeric], matrix.loc[~high_mask, numeric]) if numeric else None
    rows = []
    for spec in specs:
        if spec["kind"] == NUMERIC and numeric_rows is not None:  # not None: there is a numeric spec
            rows.append({**spec, **numeric_rows.loc[spec["feature"]].to_dict()})
            continue
        column = matrix[spec["feature"]].to_numpy(dtype=float)
        present = ~np.isnan(column)
        rows.append({**spec, **_boolean_test(column[present & high_mask], column[present & ~high_mask])})
    tests = pd.DataFrame(rows, columns=TEST_COLUMNS[:-3])
    tests["q"] = np.nan
    tested = tests["p"].notna()
    if tested.any():
        from statsmodels.stats.multitest import multipletests

        tests.loc[tested, "q"] = multipletests(tests.loc[tested, "p"].to_numpy(), method="fdr_bh")[1]
    tests["selected"] = (tests["q"] <= max_q) & (tests["effect"].abs() >= min_effect)
    tests["weight"] = np.nan
    return tests


# --- model ------------------------------------------------------------------------------


def fit_match_model(
    matrix: pd.DataFrame, specs: Sequence[Mapping], y: pd.Series, *, penalty: float = DEFAULT_PENALTY
) -> dict:
    """Ridge logistic regression of ``y`` on the standardised features; everything needed to score again."""
    target = y.reindex(matrix.index).astype(float).to_numpy()
    base_rate = float(np.clip(target.mean(), 1e-6, 1 - 1e-6)) if len(target) else 0.5
    features = []
    for spec in specs:
        column = matrix[spec["feature"]]
        sd = float(column.std(ddof=1)) if column.notna().sum() > 1 else 0.0
        if sd > 0 and math.isfinite(sd):
            features.append({**spec, "mean": float(column.mean()), "sd": sd})
    if not features:
        return {"intercept": math.log(base_rate / (1 - base_rate)), "penalty": penalty, "features": []}
    z = standardized(matrix, features)
    design = np.column_stack([np.ones(len(z)), z.to_numpy()])
    alpha = np.full(design.shape[1], penalty)
    alpha[0] = 0.0
    import statsmodels.api as sm

    result = sm.GLM(target, design, family=sm.families.Binomial()).fit_regularized(alpha=alpha, L1_wt=0.0)
    params = np.asarray(result.params, dtype=float)
    for feature, coef in zip(features, params[1:], strict=True):
        feature["coef"] = float(coef)
    return {"intercept": float(params[0]), "penalty": penalty, "features": features}


def standardized(matrix: pd.DataFrame, features: Sequence[Mapping]) -> pd.DataFrame:
    """z-values with the model's stored means and sds; a missing value becomes 0 (the training mean)."""
    names = [feature["feature"] for feature in features]
    means = pd.Series([feature["mean"] for feature in features], index=names)
    sds = pd.Series([feature["sd"] for feature in features], index=names)
    return ((matrix[names] - means) / sds).fillna(0.0)


@dataclass
class Scores:
    """Match scores of a set of subjects with their log-odds decomposition."""

    score: pd.Series  # 0..100
    logit: pd.Series
    intercept: float
    contributions: pd.DataFrame  # subject × feature, log-odds


def match_scores(matrix: pd.DataFrame, model: Mapping) -> Scores:
    """Score subjects with a stored model: logit = intercept + Σ β·z, score = 100 · sigmoid(logit)."""
    features = model["features"]
    if features:
        z = standardized(matrix, features)
        coefs = pd.Series([feature["coef"] for feature in features], index=z.columns)
        contributions = z * coefs
    else:
        contributions = pd.DataFrame(index=matrix.index)
    logit = model["intercept"] + contributions.sum(axis=1)
    from scipy.special import expit

    return Scores(score=100 * expit(logit), logit=logit, intercept=model["intercept"], contributions=contributions)


def auc(scores: pd.Series | np.ndarray, is_high: pd.Series | np.ndarray) -> float | None:
    """Area under the ROC curve: P(score of a high performer > score of a control), ties ½."""
    scores = np.asarray(scores, dtype=float)
    labels = np.asarray(is_high, dtype=bool)
    positives, negatives = scores[labels], scores[~labels]
    if not len(positives) or not len(negatives):
        return None
    from scipy import stats as sps

    u = sps.mannwhitneyu(positives, negatives, alternative="two-sided").statistic
    return float(u / (len(positives) * len(negatives)))


# --- the whole profile ------------------------------------------------------------------


@dataclass
class ProfileFit:
    """Everything a success profile stores: the tests, the model, the quality figures and warnings."""

    is_high: pd.Series
    tests: pd.DataFrame
    model: dict
    auc: float | None
    cv_auc: float | None
    warnings: list[dict] = field(default_factory=list)

    @property
    def n_high(self) -> int:
        return int(self.is_high.sum())

    @property
    def n_control(self) -> int:
        return int((~self.is_high).sum())


def _select_and_fit(matrix, specs, is_high, *, max_q, min_effect, penalty) -> tuple[pd.DataFrame, dict]:
    tests = factor_tests(matrix, specs, is_high, max_q=max_q, min_effect=min_effect)
    chosen = [spec for spec, selected in zip(specs, tests["selected"], strict=True) if selected]
    model = fit_match_model(matrix, chosen, is_high, penalty=penalty)
    return tests, model


def stratified_folds(is_high: pd.Series, folds: int = FOLDS, seed: int = 0) -> np.ndarray:
    """A fold number per subject, each class spread evenly over the folds (reproducible)."""
    rng = np.random.default_rng(seed)
    labels = is_high.to_numpy(dtype=bool)
    assignment = np.empty(len(labels), dtype=int)
    for value in (True, False):
        members = np.flatnonzero(labels == value)
        assignment[rng.permutation(members)] = np.arange(len(members)) % folds
    return assignment


def cross_validated_auc(
    matrix, specs, is_high, *, max_q, min_effect, penalty, folds: int = FOLDS, seed: int = 0
) -> float | None:
    """Mean out-of-fold AUC; each fold selects factors and fits the model on its training part only."""
    assignment = stratified_folds(is_high, folds, seed)
    results = []
    for fold in range(folds):
        test_rows = assignment == fold
        train, held_out = matrix.iloc[~test_rows], matrix.iloc[test_rows]
        train_high, held_out_high = is_high.iloc[~test_rows], is_high.iloc[test_rows]
        if train_high.nunique() < 2 or held_out_high.nunique() < 2:
            continue
        _tests, model = _select_and_fit(train, specs, train_high, max_q=max_q, min_effect=min_effect, penalty=penalty)
        value = auc(match_scores(held_out, model).score, held_out_high)
        if value is not None:
            results.append(value)
    return float(np.mean(results)) if results else None


def build_profile(
    wide: pd.DataFrame,
    kinds: Mapping[str, str],
    criterion: pd.Series,
    *,
    top_share: float = DEFAULT_TOP_SHARE,
    max_q: float = DEFAULT_MAX_Q,
    min_effect: float = DEFAULT_MIN_EFFECT,
    penalty: float = DEFAULT_PENALTY,
    folds: int = FOLDS,
    seed: int = 0,
) -> ProfileFit:
    """The whole method on one role: groups, tests, selection, model, AUC, cross-validated AUC, warnings.

    ``wide``: subject × factor code, value texts (NaN where missing); ``kinds``: factor code →
    kind; ``criterion``: subject → criterion value (subjects without one are left out).
    """
    is_high = high_performer_flags(criterion, top_share)
    wide = wide.reindex(is_high.index)
    specs = feature_specs(wide, kinds)
    matrix = feature_matrix(wide, specs)
    tests, model = _select_and_fit(matrix, specs, is_high, max_q=max_q, min_effect=min_effect, penalty=penalty)
    weights = {feature["feature"]: feature["coef"] for feature in model["features"]}
    tests["weight"] = tests["feature"].map(weights)
    in_sample = auc(match_scores(matrix, model).score, is_high) if model["features"] else None
    cv = None
    if model["features"]:
        cv = cross_validated_auc(
            matrix, specs, is_high, max_q=max_q, min_effect=min_effect, penalty=penalty, folds=folds, seed=seed
        )
    fit = ProfileFit(is_high=is_high, tests=tests, model=model, auc=in_sample, cv_auc=cv)
    n_high, n_control = fit.n_high, fit.n_control
    if min(n_high, n_control) < MIN_GROUP_SIZE:
        fit.warnings.append(
            {"code": "small_group", "params": {"n_high": n_high, "n_control": n_control, "minimum": MIN_GROUP_SIZE}}
        )
    if not model["features"]:
        fit.warnings.append({"code": "no_factor_selected", "params": {}})
    return fit
