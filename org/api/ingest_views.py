"""API of the ingest framework: list the datasets, upload records, download templates.

``POST /api/v1/ingest/<dataset>/`` takes a JSON list of records, a multipart upload
(field ``file``, CSV or XLSX) or a raw ``text/csv`` / XLSX body. The views only pick
the input apart and call the ingest service, the same one the browser import uses.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpResponse
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, OpenApiResponse, extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.exceptions import ParseError
from rest_framework.parsers import BaseParser
from rest_framework.response import Response
from rest_framework.views import APIView

from ..auth import HasModelPermission
from ..ingest import UnknownDataset, all_datasets, get_dataset
from ..ingest.describe import dataset_describe, template_file
from ..ingest.parsing import XLSX_CONTENT_TYPE
from ..ingest.service import IngestResult, ingest_file, ingest_records
from .parsers import JSONParser, MultiPartParser


class RawUpload:
    """A request body that is the file itself (``Content-Type: text/csv`` or the XLSX type)."""

    def __init__(self, data: bytes, content_type: str):
        self.data = data
        self.content_type = content_type


class _RawBodyParser(BaseParser):
    def parse(self, stream, media_type=None, parser_context=None):
        return RawUpload(stream.read() if stream is not None else b"", media_type or self.media_type)


class CsvBodyParser(_RawBodyParser):
    media_type = "text/csv"


class XlsxBodyParser(_RawBodyParser):
    media_type = XLSX_CONTENT_TYPE


def _row_errors(**kwargs):
    return inline_serializer(
        name="IngestRowError",
        fields={
            "row": serializers.IntegerField(allow_null=True, help_text="1-based record number; null: the whole upload"),
            "field": serializers.CharField(allow_null=True),
            "message": serializers.CharField(),
        },
        **kwargs,
    )


class IngestDatasetSerializer(serializers.Serializer):
    """One dataset as ``GET /api/v1/ingest/`` describes it (schema only)."""

    name = serializers.CharField()
    label = serializers.CharField()
    description = serializers.CharField()
    key = serializers.ListField(child=serializers.CharField())
    max_rows = serializers.IntegerField()
    fields = serializers.ListField(child=serializers.DictField())


_ERRORS = inline_serializer(
    name="IngestErrors",
    fields={
        "errors": _row_errors(many=True),
        "error_count": serializers.IntegerField(help_text="All errors found; at most 1,000 are listed"),
        "errors_truncated": serializers.BooleanField(),
    },
)
_COUNTS = inline_serializer(
    name="IngestCounts",
    fields={
        "dataset": serializers.CharField(),
        "rows": serializers.IntegerField(),
        "created": serializers.IntegerField(),
        "updated": serializers.IntegerField(),
        "unchanged": serializers.IntegerField(),
        "dry_run": serializers.BooleanField(),
    },
)
_NOT_FOUND = OpenApiResponse(description="Unknown dataset; the answer lists the known ones.")


class IngestPermissionMixin:
    permission_classes = [*APIView.permission_classes, HasModelPermission]
    required_permission = "org.ingest_data"


def _unknown(exc: UnknownDataset) -> Response:
    return Response({"detail": str(exc), "datasets": exc.known}, status=status.HTTP_404_NOT_FOUND)


class IngestDatasetListView(IngestPermissionMixin, APIView):
    """Every dataset that can be ingested, with its fields."""

    @extend_schema(
        operation_id="v1_ingest_datasets_list",
        responses={
            200: inline_serializer(
                name="IngestDatasets",
                fields={"max_rows": serializers.IntegerField(), "datasets": IngestDatasetSerializer(many=True)},
            )
        },
    )
    def get(self, request):
        return Response(
            {
                "max_rows": int(settings.INGEST_MAX_ROWS),
                "datasets": [dataset_describe(dataset) for dataset in all_datasets()],
            }
        )


class IngestView(IngestPermissionMixin, APIView):
    """Describe one dataset (GET) or upsert records into it (POST)."""

    # The project's JSON and multipart parsers (NUL, lone surrogates and deep nesting are a 400), plus raw files.
    parser_classes = [JSONParser, MultiPartParser, CsvBodyParser, XlsxBodyParser]

    @extend_schema(responses={200: IngestDatasetSerializer, 404: _NOT_FOUND})
    def get(self, request, dataset):
        try:
            return Response(dataset_describe(get_dataset(dataset)))
        except UnknownDataset as exc:
            return _unknown(exc)

    @extend_schema(
        summary="Upsert records into a dataset",
        description=(
            "Body: a JSON list of records, a multipart upload (field `file`, CSV or XLSX) or a raw `text/csv` "
            "body, with the dataset's field names as keys or columns. Records are upserted by the dataset's key "
            "(`external_id` or its natural key) in one transaction: if any row is invalid nothing is written. "
            "`row` in an error is the 1-based record number (the first line after a CSV/XLSX header is row 1); "
            "`row` null means the whole upload. At most `INGEST_MAX_ROWS` (50,000) records; at most 1,000 errors "
            "are listed, `error_count` has them all. `?dry_run=1` checks and counts without writing."
        ),
        parameters=[
            OpenApiParameter("dry_run", OpenApiTypes.BOOL, description="Check and count only; nothing is written."),
        ],
        request={
            "application/json": {"type": "array", "items": {"type": "object", "additionalProperties": True}},
            "multipart/form-data": {
                "type": "object",
                "properties": {"file": {"type": "string", "format": "binary"}},
                "required": ["file"],
            },
            "text/csv": {"type": "string"},
            XLSX_CONTENT_TYPE: {"type": "string", "format": "binary"},
        },
        responses={
            200: _COUNTS,
            400: OpenApiResponse(_ERRORS, description="Nothing was written."),
            404: _NOT_FOUND,
        },
        examples=[
            OpenApiExample(
                "people",
                request_only=True,
                value=[
                    {
                        "external_id": "E1001",
                        "name": "Li Na",
                        "email": "li.na@example.com",
                        "org_unit": "EAST-T1",
                        "role": "sales_rep",
                        "hire_date": "2024-03-01",
                        "exit_date": None,
                    }
                ],
            ),
            OpenApiExample(
                "row errors",
                response_only=True,
                status_codes=["400"],
                value={
                    "errors": [{"row": 3, "field": "org_unit", "message": "There is no org unit with code “X9”."}],
                    "error_count": 1,
                    "errors_truncated": False,
                },
            ),
        ],
    )
    def post(self, request, dataset):
        try:
            target = get_dataset(dataset)
        except UnknownDataset as exc:
            return _unknown(exc)
        dry_run = request.query_params.get("dry_run", "").lower() in {"1", "true", "yes"}
        try:
            body = request.data
        except ParseError as exc:  # the parser's own words: not JSON, not UTF-8 text, nested too deep...
            return self._shape_error(str(exc.detail))
        if isinstance(body, RawUpload):
            result = ingest_file(
                dataset=target, data=body.data, content_type=body.content_type, dry_run=dry_run, user=request.user
            )
        elif "file" in request.FILES:
            upload = request.FILES["file"]
            if upload.size > int(settings.INGEST_MAX_UPLOAD_BYTES):
                return self._shape_error(
                    _("The file is larger than %(size)s MB; split it into several uploads.")
                    % {"size": int(settings.INGEST_MAX_UPLOAD_BYTES) // (1024 * 1024)}
                )
            result = ingest_file(
                dataset=target,
                data=upload.read(),
                filename=upload.name or "",
                content_type=upload.content_type or "",
                dry_run=dry_run,
                user=request.user,
            )
        elif request.content_type.startswith("multipart/"):
            return self._shape_error(_("Upload the CSV or XLSX file in the multipart field “file”."))
        else:
            result = ingest_records(dataset=target, records=body, dry_run=dry_run, user=request.user)
        return self._answer(result)

    @staticmethod
    def _answer(result: IngestResult) -> Response:
        return Response(result.as_dict(), status=status.HTTP_200_OK if result.ok else status.HTTP_400_BAD_REQUEST)

    @staticmethod
    def _shape_error(message: str) -> Response:
        return Response(
            {"errors": [{"row": None, "field": None, "message": message}], "error_count": 1, "errors_truncated": False},
            status=status.HTTP_400_BAD_REQUEST,
        )


class IngestTemplateView(IngestPermissionMixin, APIView):
    """A file to fill in: the dataset's header row as CSV, or as XLSX with a sheet of field notes."""

    @extend_schema(
        responses={
            (200, "text/csv"): OpenApiTypes.BINARY,
            (200, XLSX_CONTENT_TYPE): OpenApiTypes.BINARY,
            404: _NOT_FOUND,
        }
    )
    def get(self, request, dataset, fmt):
        try:
            target = get_dataset(dataset)
        except UnknownDataset as exc:
            return _unknown(exc)
        content, content_type, filename = template_file(target, fmt)
        response = HttpResponse(content, content_type=content_type)
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response
