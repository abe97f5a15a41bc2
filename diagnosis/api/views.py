"""API views of the diagnosis app: thin wrappers over its selectors and services."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import generics, status
from rest_framework.response import Response
from rest_framework.views import APIView

from org.auth import HasModelPermission
from org.selectors import can_see_unit, unit_in_scope
from performance.read_cache import CachedReadMixin

from ..choices import RootCause
from ..models import AssessmentRound, Questionnaire
from ..radar import PARTS_BY_CODE, SELF_FORMULA, unit_radar
from ..results import round_results
from ..selectors import (
    can_manage_round,
    can_view_round,
    is_respondent,
    questionnaires_all,
    respondent_required,
    response_answers,
    response_of,
    round_submissions,
    round_with_counts,
    rounds_visible,
)
from ..services import (
    ALREADY_SUBMITTED,
    AnswerInput,
    missing_required_items,
    questionnaire_copy,
    response_save,
    response_submit,
    round_close,
    round_open,
)
from .serializers import (
    AnswersSerializer,
    MyResponseSerializer,
    QuestionnaireDetailSerializer,
    QuestionnaireSerializer,
    ResultsSerializer,
    RoundDetailSerializer,
    RoundOpenSerializer,
    RoundSerializer,
    UnitRadarSerializer,
)

_ERRORS = OpenApiResponse(description='Validation failed: {"errors": [{"field", "message"}]}.')
_FORBIDDEN = OpenApiResponse(description="Not allowed for this user or token.")
_NOT_FOUND = OpenApiResponse(description="No such round in the caller's scope.")
_CONFLICT = OpenApiResponse(description="Already submitted: each respondent submits once.")


class QuestionnaireListView(generics.ListAPIView):
    """Questionnaire versions, built-in and copies."""

    permission_classes = [*APIView.permission_classes, HasModelPermission]
    required_permission = "diagnosis.view_questionnaire"
    serializer_class = QuestionnaireSerializer
    pagination_class = None

    def get_queryset(self):
        return questionnaires_all().order_by("family", "-version")


class QuestionnaireDetailView(generics.RetrieveAPIView):
    """One version with its sections and items in both languages."""

    permission_classes = [*APIView.permission_classes, HasModelPermission]
    required_permission = "diagnosis.view_questionnaire"
    serializer_class = QuestionnaireDetailSerializer
    queryset = Questionnaire.objects.prefetch_related("sections__items")


class QuestionnaireCopyView(APIView):
    """Copy a version into the next version of its family (HR leads); the copy is editable."""

    permission_classes = [*APIView.permission_classes, HasModelPermission]
    required_permission = "diagnosis.add_questionnaire"

    @extend_schema(request=None, responses={201: QuestionnaireSerializer, 404: _NOT_FOUND})
    def post(self, request, pk):
        source = Questionnaire.objects.filter(pk=pk).first()
        if source is None:
            raise Http404
        copy = questionnaire_copy(source=source, user=request.user)
        return Response(QuestionnaireSerializer(copy).data, status=status.HTTP_201_CREATED)


class RoundListView(generics.ListCreateAPIView):
    """Rounds the caller owns or may see by scope; HR leads open new rounds here."""

    permission_classes = [*APIView.permission_classes, HasModelPermission]
    required_permission = {"POST": "diagnosis.add_assessmentround"}
    serializer_class = RoundSerializer

    def get_queryset(self):
        return rounds_visible(self.request.user).order_by("-opened_at", "-id")

    @extend_schema(request=RoundOpenSerializer, responses={201: RoundSerializer, 400: _ERRORS, 403: _FORBIDDEN})
    def post(self, request, *args, **kwargs):
        given = RoundOpenSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        data = given.validated_data
        if not can_see_unit(request.user, data["org_unit"]):
            raise ValidationError({"org_unit": _("This org unit is outside your scope.")})
        assessment_round = round_open(owner=request.user, **data)
        return Response(RoundSerializer(round_with_counts(assessment_round.pk)).data, status=status.HTTP_201_CREATED)


def _round_for(request, pk, *, allow_respondent: bool = False) -> AssessmentRound:
    try:
        assessment_round = round_with_counts(pk)
    except AssessmentRound.DoesNotExist as exc:
        raise Http404 from exc
    if can_view_round(request.user, assessment_round):
        return assessment_round
    if allow_respondent and is_respondent(request.user, assessment_round):
        return assessment_round
    raise Http404


class RoundDetailView(APIView):
    """A round; its owner also sees who has submitted and when (never what anyone answered)."""

    @extend_schema(responses={200: RoundDetailSerializer, 404: _NOT_FOUND})
    def get(self, request, pk):
        assessment_round = _round_for(request, pk, allow_respondent=True)
        submissions = round_submissions(assessment_round) if can_manage_round(request.user, assessment_round) else None
        return Response(RoundDetailSerializer(assessment_round, context={"submissions": submissions}).data)


class RoundCloseView(APIView):
    """Close a round (its owner or an HR lead in scope)."""

    @extend_schema(request=None, responses={200: RoundSerializer, 400: _ERRORS, 403: _FORBIDDEN, 404: _NOT_FOUND})
    def post(self, request, pk):
        assessment_round = _round_for(request, pk)
        if not can_manage_round(request.user, assessment_round):
            raise PermissionDenied
        round_close(assessment_round=assessment_round)
        return Response(RoundSerializer(round_with_counts(pk)).data)


class RoundResultsView(APIView):
    """Aggregated results; ``available`` is false until ``min_respondents`` have submitted."""

    @extend_schema(responses={200: ResultsSerializer, 404: _NOT_FOUND})
    def get(self, request, pk):
        assessment_round = _round_for(request, pk)
        results = round_results(assessment_round, submitted=assessment_round.submitted_count)
        return Response(ResultsSerializer(results).data)


def _answer_inputs(data) -> list[AnswerInput]:
    return [
        AnswerInput(item=row["item"], value=row.get("value"), not_applicable=row.get("not_applicable", False))
        for row in data.get("answers", [])
    ]


def _my_response_data(assessment_round, user) -> dict:
    response = response_of(assessment_round, user)
    answers = response_answers(response)
    return {
        "current_step": response.current_step if response else 1,
        "submitted_at": response.submitted_at if response else None,
        "answers": [
            {"item": code, "value": a.value, "not_applicable": a.not_applicable} for code, a in answers.items()
        ],
        "missing": [item.code for item in missing_required_items(response)] if response else [],
    }


def _conflict_or_raise(exc: ValidationError):
    if getattr(exc, "code", None) == ALREADY_SUBMITTED:
        return Response({"errors": [{"field": None, "message": exc.messages[0]}]}, status=status.HTTP_409_CONFLICT)
    raise exc


class MyResponseView(APIView):
    """The caller's own answers to a round they are invited to; PUT saves progress (no submission)."""

    def _round(self, request, pk) -> AssessmentRound:
        assessment_round = AssessmentRound.objects.filter(pk=pk).select_related("questionnaire").first()
        if assessment_round is None:
            raise Http404
        respondent_required(request.user, assessment_round)
        return assessment_round

    @extend_schema(responses={200: MyResponseSerializer, 403: _FORBIDDEN, 404: _NOT_FOUND})
    def get(self, request, pk):
        assessment_round = self._round(request, pk)
        return Response(MyResponseSerializer(_my_response_data(assessment_round, request.user)).data)

    @extend_schema(
        request=AnswersSerializer,
        responses={200: MyResponseSerializer, 400: _ERRORS, 403: _FORBIDDEN, 404: _NOT_FOUND, 409: _CONFLICT},
    )
    def put(self, request, pk):
        assessment_round = self._round(request, pk)
        given = AnswersSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        try:
            response_save(assessment_round=assessment_round, user=request.user, answers=_answer_inputs(given.data))
        except ValidationError as exc:
            return _conflict_or_raise(exc)
        return Response(MyResponseSerializer(_my_response_data(assessment_round, request.user)).data)


class MyResponseSubmitView(MyResponseView):
    """Submit once, optionally with final answers; every required item must be answered."""

    http_method_names = ["post", "options"]

    @extend_schema(
        request=AnswersSerializer,
        responses={200: MyResponseSerializer, 400: _ERRORS, 403: _FORBIDDEN, 404: _NOT_FOUND, 409: _CONFLICT},
    )
    def post(self, request, pk):
        assessment_round = self._round(request, pk)
        given = AnswersSerializer(data=request.data or {"answers": []})
        given.is_valid(raise_exception=True)
        try:
            response_submit(assessment_round=assessment_round, user=request.user, answers=_answer_inputs(given.data))
        except ValidationError as exc:
            return _conflict_or_raise(exc)
        return Response(MyResponseSerializer(_my_response_data(assessment_round, request.user)).data)


def _radar_series_data(series, formula) -> dict:
    assessment_round = series.assessment_round
    axes = []
    for axis in series.axes:
        parts = []
        for part in axis.parts:
            spec = PARTS_BY_CODE.get(part.get("code"))
            if spec is not None:
                label, part_formula, source = str(spec.label), str(spec.formula), str(spec.source)
            else:  # a self-assessed axis: its part is the root cause
                label, part_formula, source = str(RootCause(part["code"]).label), str(formula), "diagnosis"
            parts.append(
                {
                    "code": part["code"],
                    "label": label,
                    "value": part.get("value"),
                    "numerator": part.get("numerator"),
                    "denominator": part.get("denominator"),
                    "formula": part_formula,
                    "source": source,
                }
            )
        axes.append(
            {
                "axis": axis.axis,
                "label": str(axis.label),
                "value": axis.value,
                "formula": str(axis.formula if series.series == "data_derived" else formula),
                "parts": parts,
            }
        )
    return {
        "computed_at": series.computed_at,
        "formula": str(formula),
        "round": assessment_round.pk if assessment_round else None,
        "round_closed_at": assessment_round.closed_at if assessment_round else None,
        "axes": axes,
    }


class UnitRadarView(CachedReadMixin, APIView):
    """The unit's capability radar: self-assessed and data-derived series, each with its computation time.

    Both series come from the nightly recompute; a unit it has not covered yet is computed on the
    fly (``from_snapshot`` false). A value of null means "no data", never 0.
    """

    permission_classes = [*APIView.permission_classes, HasModelPermission]
    required_permission = "diagnosis.view_assessmentround"

    @extend_schema(responses={200: UnitRadarSerializer, 404: OpenApiResponse(description="No such unit in scope.")})
    def get(self, request, code):
        return self.cached_get(request, lambda: self._answer(request, code))

    def _answer(self, request, code):
        unit = unit_in_scope(request.user, code)
        radar = unit_radar(unit)
        data = {
            "org_unit": unit.code,
            "from_snapshot": radar.stored,
            "self_assessed": _radar_series_data(radar.self_assessed, SELF_FORMULA),
            "data_derived": _radar_series_data(radar.data_derived, _("see each axis")),
        }
        return Response(UnitRadarSerializer(data).data)
