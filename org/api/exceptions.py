"""One DRF exception handler: Django ValidationErrors become 400 answers with field names."""

from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import exception_handler


def api_exception_handler(exc, context):
    """Turn a Django ValidationError into ``400 {"errors": [{"field", "message"}]}``; defer the rest to DRF."""
    if isinstance(exc, DjangoValidationError):
        errors = []
        if hasattr(exc, "error_dict"):
            for field, messages in exc.message_dict.items():
                for message in messages:
                    errors.append({"field": None if field == "__all__" else field, "message": message})
        else:
            errors = [{"field": None, "message": message} for message in exc.messages]
        return Response({"errors": errors}, status=status.HTTP_400_BAD_REQUEST)
    return exception_handler(exc, context)
