"""One DRF exception handler: Django ValidationErrors become 400 answers with field names, an unreachable
database or job queue a 503 saying which (``org.unavailable``)."""

import logging

from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import exception_handler, set_rollback

from ..choices import JobStatus
from ..jobs import JobNotQueued
from ..unavailable import RETRY_AFTER_SECONDS, unavailable_body, unavailable_service

logger = logging.getLogger(__name__)


def api_exception_handler(exc, context):
    """``400 {"errors": [{"field", "message"}]}`` for a Django ValidationError; ``503 {"detail", "code"}`` (and
    the ``job`` that could not be queued) when a service is down; the rest as DRF answers it."""
    if isinstance(exc, DjangoValidationError):
        errors = []
        if hasattr(exc, "error_dict"):
            for field, messages in exc.message_dict.items():
                for message in messages:
                    errors.append({"field": None if field == "__all__" else field, "message": message})
        else:
            errors = [{"field": None, "message": message} for message in exc.messages]
        return Response({"errors": errors}, status=status.HTTP_400_BAD_REQUEST)
    service = unavailable_service(exc)
    if service is not None:
        logger.warning("%s unavailable during %s: %r", service, context["request"].path, exc.__cause__ or exc)
        set_rollback()
        body = unavailable_body(service)
        if isinstance(exc, JobNotQueued):
            body["job"] = {"id": exc.job_id, "status": JobStatus.FAILED.value}
        return Response(
            body, status=status.HTTP_503_SERVICE_UNAVAILABLE, headers={"Retry-After": str(RETRY_AFTER_SECONDS)}
        )
    return exception_handler(exc, context)
