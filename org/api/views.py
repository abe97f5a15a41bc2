"""API views of the org app: org units and people (scoped), recompute jobs."""

from django.http import Http404
from django.utils.translation import gettext
from django_filters import rest_framework as filters
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import generics, status
from rest_framework.response import Response
from rest_framework.views import APIView

from ..auth import HasModelPermission
from ..choices import JobKind, OrgUnitKind, PersonRole
from ..jobs import job_start_recompute
from ..models import Job, OrgUnit, OrgUnitClosure, Person
from ..privacy import person_anonymize, person_export_logged
from ..selectors import org_units_visible, people_visible, scope_root
from .serializers import JobSerializer, OrgUnitSerializer, PersonSerializer


class OrgUnitFilter(filters.FilterSet):
    kind = filters.ChoiceFilter(choices=OrgUnitKind.choices)
    parent = filters.CharFilter(field_name="parent__code")

    class Meta:
        model = OrgUnit
        fields = ["kind", "parent"]


class OrgUnitListView(generics.ListAPIView):
    """Org units the caller may see (a manager: their own subtree)."""

    serializer_class = OrgUnitSerializer
    filterset_class = OrgUnitFilter

    def get_queryset(self):
        return org_units_visible(self.request.user).order_by("code")


class OrgUnitDetailView(generics.RetrieveAPIView):
    """One org unit by code; 404 when it is outside the caller's scope."""

    serializer_class = OrgUnitSerializer
    lookup_field = "code"

    def get_queryset(self):
        return org_units_visible(self.request.user)


class PersonFilter(filters.FilterSet):
    org_unit = filters.CharFilter(method="filter_subtree", label="org unit code (its whole subtree)")
    role = filters.ChoiceFilter(choices=PersonRole.choices)
    active = filters.BooleanFilter(field_name="exit_date", lookup_expr="isnull")

    class Meta:
        model = Person
        fields = ["org_unit", "role", "active"]

    def filter_subtree(self, queryset, name, value):
        return queryset.filter(org_unit__in=OrgUnitClosure.objects.filter(ancestor__code=value).values("descendant_id"))


class PersonListView(generics.ListAPIView):
    """People the caller may see; ``org_unit`` filters to a unit's whole subtree."""

    serializer_class = PersonSerializer
    filterset_class = PersonFilter

    def get_queryset(self):
        return people_visible(self.request.user).order_by("external_id")


class PersonDetailView(generics.RetrieveAPIView):
    serializer_class = PersonSerializer
    lookup_field = "external_id"

    def get_queryset(self):
        return people_visible(self.request.user)


class RecomputeJobView(APIView):
    """Start the recompute pipeline.

    ``202`` with the new job. While a recompute is already queued or running the answer is
    ``409`` with that job's ``id`` and ``status`` (poll it, then ask again): a job that started
    before the caller's latest ingest would not include it, so silently handing it back would mislead.
    """

    permission_classes = [*APIView.permission_classes, HasModelPermission]
    required_permission = "org.start_job"

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "full",
                bool,
                description="Rebuild every year of every indicator (default: only the years uploads marked stale).",
            )
        ],
        request=None,
        responses={
            202: JobSerializer,
            409: OpenApiResponse(JobSerializer, description="A recompute is already queued or running: that job."),
            503: OpenApiResponse(
                OpenApiTypes.OBJECT,
                description="The job queue or the database cannot be reached: ``detail``, ``code`` and, when the "
                "job was recorded but could not be queued, ``job`` (marked failed). Try again later.",
            ),
        },
    )
    def post(self, request):
        full = str(request.query_params.get("full", "")).lower() in {"1", "true", "yes"}
        job, created = job_start_recompute(user=request.user, trigger="api", full=full)
        job.refresh_from_db()
        data = JobSerializer(job).data
        if not created:
            data["detail"] = gettext("A recompute job is already queued or running; wait for it to finish.")
            return Response(data, status=status.HTTP_409_CONFLICT)
        return Response(data, status=status.HTTP_202_ACCEPTED)


class JobDetailView(generics.RetrieveAPIView):
    """A job's status, progress, timings and error."""

    serializer_class = JobSerializer
    queryset = Job.objects.select_related("started_by").filter(kind__in=JobKind.values)

    @extend_schema(responses={200: JobSerializer, 404: OpenApiResponse(description="No such job.")})
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_object(self):
        job = super().get_object()
        user = self.request.user
        # Jobs are visible to whoever may start them, and to the user who started one.
        if not (user.has_perm("org.view_job") or job.started_by_id == user.pk or scope_root(user) == "all"):
            raise Http404
        return job


def _person_in_scope(request, external_id: str) -> Person:
    person = people_visible(request.user).filter(external_id=external_id).first()
    if person is None:
        raise Http404
    return person


class PersonDataView(APIView):
    """Everything stored about one person (data-protection export): their record and every row referring to
    them. HR leads only (``org.change_person``), within their scope."""

    permission_classes = [*APIView.permission_classes, HasModelPermission]
    required_permission = "org.change_person"

    @extend_schema(
        responses={
            200: OpenApiTypes.OBJECT,
            403: OpenApiResponse(description="Not an HR lead."),
            404: OpenApiResponse(description="No such person in scope."),
        }
    )
    def get(self, request, external_id: str):
        person = _person_in_scope(request, external_id)
        return Response(person_export_logged(person=person, actor=request.user, fmt="json"))


class PersonAnonymizeView(APIView):
    """Anonymize one person (cannot be undone): name, e-mail and external id replaced, notes about them
    emptied; every counted row stays, so aggregates stay right. HR leads only, within their scope."""

    permission_classes = [*APIView.permission_classes, HasModelPermission]
    required_permission = "org.change_person"

    @extend_schema(
        request=None,
        responses={
            200: OpenApiTypes.OBJECT,
            403: OpenApiResponse(description="Not an HR lead."),
            404: OpenApiResponse(description="No such person in scope."),
        },
    )
    def post(self, request, external_id: str):
        person = _person_in_scope(request, external_id)
        person = person_anonymize(person=person, actor=request.user)
        return Response({"external_id": person.external_id})
