"""Reads of the diagnosis app: visible rounds, who may do what, and the answer frames (aggregates only)."""

from __future__ import annotations

import pandas as pd
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from org.selectors import can_see_unit, visible_unit_ids

from .choices import ItemKind
from .models import Answer, AssessmentRound, Questionnaire, Response

MANAGE_ROUNDS = "diagnosis.change_assessmentround"
VIEW_ROUNDS = "diagnosis.view_assessmentround"


def questionnaires_all() -> QuerySet[Questionnaire]:
    return Questionnaire.objects.annotate(item_count=Count("items", distinct=True), round_count=Count("rounds"))


def questionnaire_detail(pk: int) -> Questionnaire:
    return Questionnaire.objects.prefetch_related("sections__items").get(pk=pk)


def _with_counts(queryset: QuerySet[AssessmentRound]) -> QuerySet[AssessmentRound]:
    return queryset.select_related("org_unit", "owner", "questionnaire").annotate(
        submitted_count=Count("responses", filter=Q(responses__submitted_at__isnull=False), distinct=True),
        respondent_count=Count("respondents", distinct=True),
    )


def rounds_visible(user) -> QuerySet[AssessmentRound]:
    """Rounds the user owns, plus rounds of units in their scope when their role may view rounds."""
    rounds = AssessmentRound.objects.all()
    if not user.is_authenticated:
        return rounds.none()
    condition = Q(owner=user)
    if user.has_perm(VIEW_ROUNDS):
        ids = visible_unit_ids(user)
        if ids is None:  # every unit (an empty Q would vanish from the OR below)
            return _with_counts(rounds)
        condition |= Q(org_unit__in=ids)
    return _with_counts(rounds.filter(condition))


def rounds_to_answer(user) -> list[dict]:
    """Rounds the user is invited to, with the state of their own response."""
    rounds = list(_with_counts(AssessmentRound.objects.filter(respondents=user)).order_by("-opened_at"))
    mine = {r.round_id: r for r in Response.objects.filter(respondent=user, round__in=[x.pk for x in rounds])}
    return [{"round": r, "response": mine.get(r.pk)} for r in rounds]


def round_with_counts(pk: int) -> AssessmentRound:
    return _with_counts(AssessmentRound.objects.filter(pk=pk)).get()


def can_manage_round(user, assessment_round: AssessmentRound) -> bool:
    """The owner, or an HR lead whose scope covers the round's unit."""
    if assessment_round.owner_id == user.pk:
        return True
    return user.has_perm(MANAGE_ROUNDS) and can_see_unit(user, assessment_round.org_unit)


def can_view_round(user, assessment_round: AssessmentRound) -> bool:
    """Managers and HR leads see rounds of their subtree; owners see their own."""
    if can_manage_round(user, assessment_round):
        return True
    return user.has_perm(VIEW_ROUNDS) and can_see_unit(user, assessment_round.org_unit)


def is_respondent(user, assessment_round: AssessmentRound) -> bool:
    return assessment_round.respondents.filter(pk=user.pk).exists()


def respondent_required(user, assessment_round: AssessmentRound) -> None:
    """Refuse a login that may not answer the round: 403 if it may see the round, else 404 (the round's
    existence is not revealed outside the caller's scope)."""
    if is_respondent(user, assessment_round):
        return
    if rounds_visible(user).filter(pk=assessment_round.pk).exists():
        raise PermissionDenied(_("You are not a respondent of this round."))
    raise Http404


def round_submissions(assessment_round: AssessmentRound) -> list[Response]:
    """Who has submitted and when, for the round's owner: never what they answered (the respondent comes with
    the person it is, so that the page shows a name)."""
    return list(
        Response.objects.filter(round=assessment_round, submitted_at__isnull=False)
        .select_related("respondent__profile__person")
        .order_by("submitted_at")
    )


def response_of(assessment_round: AssessmentRound, user) -> Response | None:
    return Response.objects.filter(round=assessment_round, respondent=user).first()


def response_answers(response: Response | None) -> dict[str, Answer]:
    """The user's own answers by item code (for their own form only)."""
    if response is None:
        return {}
    return {answer.item.code: answer for answer in response.answers.select_related("item")}


def submitted_answer_frames(assessment_round: AssessmentRound) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The submitted answers as two frames: Likert answers and symptom ratings.

    Respondents appear as response ids only; the frames never leave the results computation.
    """
    rows = list(
        Answer.objects.filter(response__round=assessment_round, response__submitted_at__isnull=False).values_list(
            "response_id",
            "item__kind",
            "item__root_cause",
            "item__symptom",
            "item__weight",
            "item__reverse",
            "value",
            "not_applicable",
        )
    )
    frame = pd.DataFrame(
        rows,
        columns=["respondent", "kind", "root_cause", "symptom", "weight", "reverse", "value", "not_applicable"],
    )
    likert = frame.loc[frame["kind"] == ItemKind.LIKERT]
    symptoms = frame.loc[frame["kind"] == ItemKind.SYMPTOM]
    return likert.reset_index(drop=True), symptoms.reset_index(drop=True)
