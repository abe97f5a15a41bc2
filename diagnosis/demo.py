"""Demo self-check rounds: closed rounds with believable answers, plus one open round to try.

The answers follow each team's hidden profile from the performance demo (``team_profile``):
in most teams respondents see their unit as the data does (a team that converts poorly
reports low lead conversion and scores capability transfer low), in every third selected
team they see it the other way round, so the triangulation shows both "confirmed by data"
and "not confirmed". Earlier rounds score a little lower, so the trend shows progress.
Everything is written with bulk_create; respondents are logins made for team members
(no usable password: they exist so that the owner sees who submitted).
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from org.choices import OrgUnitKind
from org.demo import DemoContext, demo_step
from org.models import UserProfile
from org.ui.names import labels_from_rows
from performance.services import period_floor

from .choices import ItemKind, Symptom
from .models import Answer, AssessmentRound, Questionnaire, Response
from .services import previous_quarter_start

ROUNDS_PER_TEAM = 3
MAX_TEAMS = 10
RESPONDENTS_PER_ROUND = 6
# Points by which each earlier round scores lower than the next (the unit improving).
PROGRESS_PER_ROUND = 6.0


def _true_scores(profile, median) -> dict[str, float]:
    """The unit's standing per root cause (0-100) as its facts suggest."""

    def z(name, higher_is_better=True):
        ratio = float(np.log(profile[name] / median[name])) if median[name] > 0 else 0.0
        return ratio if higher_is_better else -ratio

    raw = {
        "talent_standards": z("conversion") + z("deal"),
        "capability_transfer": 1.5 * z("conversion"),
        "incentive_alignment": z("churn", higher_is_better=False) + z("deal"),
        "org_collaboration": z("churn", higher_is_better=False) + 4 * (profile["health"] - median["health"]),
    }
    return {root: float(np.clip(55 + 45 * value, 12, 92)) for root, value in raw.items()}


def _symptom_severity(profile, median) -> dict[str, float]:
    """Expected severity 0-3 of each symptom: high where the team's facts are worse than the median."""
    worse = {
        Symptom.LOW_LEAD_CONVERSION: profile["conversion"] < median["conversion"],
        Symptom.LOW_DEAL_SIZE: profile["deal"] < median["deal"],
        Symptom.HIGH_NEW_CUSTOMER_CHURN: profile["churn"] > median["churn"],
        Symptom.LOW_REPEAT_PURCHASE: profile["health"] < median["health"],
    }
    return {symptom: (2.3 if bad else 0.6) for symptom, bad in worse.items()}


def _respondent_users(people, team_id: int, count: int, rng) -> list[int]:
    """Logins for up to ``count`` members of the team, each linked to its person (so that pickers and lists
    show the person's name, role and unit); created once, reused by a later seed."""
    members = people[(people["org_unit_id"] == team_id) & people["exit_date"].isna()]
    if len(members) > count:
        members = members.iloc[np.sort(rng.choice(len(members), count, replace=False))]
    User = get_user_model()
    names = {f"demo-{ext.lower()}": name for ext, name in zip(members["external_id"], members["name"], strict=True)}
    User.objects.bulk_create(
        [User(username=username, first_name=name, password="!") for username, name in names.items()],
        ignore_conflicts=True,
    )
    user_ids = dict(User.objects.filter(username__in=list(names)).values_list("username", "pk"))
    person_of = {f"demo-{ext.lower()}": int(pk) for ext, pk in zip(members["external_id"], members["id"], strict=True)}
    UserProfile.objects.bulk_create(
        [UserProfile(user_id=user_ids[name], person_id=person_of[name]) for name in names if name in user_ids],
        ignore_conflicts=True,
    )
    return [user_ids[name] for name in sorted(user_ids)]


def _likert(target: float, reverse: bool, noise: float) -> int:
    answer = int(np.clip(round(1 + (target + noise) / 25), 1, 5))
    return 6 - answer if reverse else answer


@demo_step("diagnosis_rounds", order=250, label=_("Self-check rounds"))
def diagnosis_demo_step(ctx: DemoContext) -> dict:
    """Closed rounds for a handful of teams (agreeing with the facts in most, contradicting in some)."""
    questionnaire = Questionnaire.objects.filter(is_builtin=True).order_by("-version").first()
    profiles = ctx.shared.get("team_profile")
    units = ctx.shared.get("units")
    owner = get_user_model().objects.filter(username="hr").first()
    if questionnaire is None or profiles is None or units is None or owner is None:
        return {}
    rng = ctx.rng
    people = ctx.shared["people"]
    items = list(questionnaire.items.select_related("section").order_by("section__position", "position"))
    last_step = questionnaire.sections.count()
    median = profiles.median()
    labels = labels_from_rows(
        (int(row.id), row.code, row.name, None if pd.isna(row.parent_id) else int(row.parent_id))
        for row in units.itertuples()
    )
    selected = [int(team_id) for team_id in profiles.index[:MAX_TEAMS]]

    # The latest round closes in the current quarter when there is time for it, else in the last one.
    latest_open = period_floor(ctx.today, "quarter") + dt.timedelta(days=7)
    if latest_open + dt.timedelta(days=14) > ctx.today - dt.timedelta(days=1):
        latest_open = previous_quarter_start(ctx.today) + dt.timedelta(days=7)
    tz = timezone.get_current_timezone()

    rounds: list[AssessmentRound] = []
    plans: list[tuple[AssessmentRound, list[int], dict, dict, bool]] = []
    for index, team_id in enumerate(selected):
        agrees = index % 3 != 2
        users = _respondent_users(people, team_id, RESPONDENTS_PER_ROUND, rng)
        if len(users) < 3:
            continue
        truth = _true_scores(profiles.loc[team_id], median)
        severity = _symptom_severity(profiles.loc[team_id], median)
        if not agrees:  # respondents see their unit the other way round
            truth = {root: 110 - score for root, score in truth.items()}
            severity = {symptom: 2.9 - value for symptom, value in severity.items()}
        for back in range(ROUNDS_PER_TEAM - 1, -1, -1):
            opened_day = latest_open
            for _step in range(back):
                opened_day = previous_quarter_start(opened_day) + dt.timedelta(days=7)
            opened = dt.datetime.combine(opened_day, dt.time(9, 0), tzinfo=tz)
            assessment_round = AssessmentRound(
                questionnaire=questionnaire,
                org_unit_id=team_id,
                title=f"{labels[team_id]} · {opened_day:%Y-%m}",
                owner=owner,
                min_respondents=3,
                data_period_start=previous_quarter_start(opened_day),
                opened_at=opened,
                closed_at=opened + dt.timedelta(days=14),
            )
            rounds.append(assessment_round)
            shifted = {root: score - PROGRESS_PER_ROUND * back for root, score in truth.items()}
            plans.append((assessment_round, users, shifted, severity, True))

    # One open round in the demo member's business unit: "member" is invited and can try the questionnaire.
    member = get_user_model().objects.filter(username="member").first()
    first_bu = units[units["kind"] == OrgUnitKind.BUSINESS_UNIT.value]
    open_team = None
    open_submitters: set[int] = set()
    if member is not None and not first_bu.empty:
        regions = units[units["parent_id"] == first_bu.iloc[0]["id"]]["id"]
        candidates = units[(units["parent_id"].isin(regions)) & (units["kind"] == OrgUnitKind.TEAM.value)]["id"]
        teams_in_bu = [int(t) for t in candidates]
        open_team = next((t for t in teams_in_bu if t not in selected), teams_in_bu[0] if teams_in_bu else None)
    if open_team is not None:
        users = _respondent_users(people, open_team, 3, rng)
        if len(users) >= 2:
            opened = timezone.now() - dt.timedelta(days=3)
            assessment_round = AssessmentRound(
                questionnaire=questionnaire,
                org_unit_id=open_team,
                title=f"{labels[int(open_team)]} · {timezone.localdate(opened):%Y-%m}",
                owner=owner,
                min_respondents=3,
                data_period_start=previous_quarter_start(timezone.localdate(opened)),
                opened_at=opened,
            )
            rounds.append(assessment_round)
            truth = _true_scores(profiles.loc[open_team], median) if open_team in profiles.index else {}
            severity = _symptom_severity(profiles.loc[open_team], median) if open_team in profiles.index else {}
            plans.append((assessment_round, [*users[:2], member.pk], truth, severity, False))
            open_submitters = set(users[:2])

    if not rounds:
        return {}
    AssessmentRound.objects.bulk_create(rounds)
    Through = AssessmentRound.respondents.through
    Through.objects.bulk_create(
        [Through(assessmentround_id=r.pk, user_id=user) for r, users, *_rest in plans for user in users]
    )
    responses: list[Response] = []
    targets: list[tuple[dict, dict, float]] = []
    for assessment_round, users, truth, severity, closed in plans:
        for user in users:
            if not closed and user not in open_submitters:
                continue  # the demo member has not answered yet
            submitted = (assessment_round.closed_at or timezone.now()) - dt.timedelta(
                hours=float(rng.uniform(2, 24 * 10 if closed else 48))
            )
            responses.append(
                Response(
                    round=assessment_round,
                    respondent_id=user,
                    current_step=last_step,
                    submitted_at=max(submitted, assessment_round.opened_at + dt.timedelta(hours=1)),
                )
            )
            targets.append((truth, severity, float(rng.normal(0, 6))))
    Response.objects.bulk_create(responses)

    answers: list[Answer] = []
    for response, (truth, severity, bias) in zip(responses, targets, strict=True):
        noise = rng.normal(0, 12, len(items))
        skip = rng.random(len(items)) < 0.04
        for item, jitter, not_applicable in zip(items, noise, skip, strict=True):
            if not_applicable:
                answers.append(Answer(response=response, item=item, value=None, not_applicable=True))
            elif item.kind == ItemKind.LIKERT:
                target = truth.get(item.root_cause, 55.0) + bias
                answers.append(Answer(response=response, item=item, value=_likert(target, item.reverse, jitter)))
            else:
                mean = severity.get(item.symptom, 1.0)
                value = int(np.clip(round(mean + jitter / 18), 0, 3))
                answers.append(Answer(response=response, item=item, value=value))
    Answer.objects.bulk_create(answers, batch_size=5000)
    return {
        "diagnosis_rounds": len(rounds),
        "diagnosis_responses": len(responses),
        "diagnosis_answers": len(answers),
    }
