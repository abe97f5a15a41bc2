"""Forms on every page: the date input, a service's ValidationError on a form, as messages, and the standard
form POST.

Dates: a browser's ``<input type="date">`` takes and sends ISO days (``2026-12-03``) whatever the page's
language, and shows an empty field for anything else (zh-Hans would otherwise render ``2026/12/03``). Every
form's date field is a :class:`DateField` (or uses :class:`DateInput`); ``tests/test_date_inputs.py``
looks at every form class of the apps.

Services raise ``ValidationError`` either dict-style (``{"field": [messages]}``, what ``full_clean`` raises)
or list-style (messages about no field). A page shows them on its form, next to the field a key names when
the form has that field and above the form otherwise, or, for a page without a form to show again (a POST
that redirects back), as error messages.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any, TypeVar

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect
from django.utils import formats
from django.utils.functional import lazy
from django.utils.translation import gettext_noop, pgettext

T = TypeVar("T")

ISO_DAY = "%Y-%m-%d"

# Django writes ":" after every form label (its msgid ":"); our catalogues translate it as the language's colon
# ("：" in Chinese). Named here so that makemessages keeps the entry.
# Translators: Django's form label suffix, shown after every form label.
LABEL_SUFFIX = gettext_noop(":")


class DateInput(forms.DateInput):
    """``<input type="date">`` with its value always an ISO day, in every language."""

    input_type = "date"

    def __init__(self, attrs=None, format=None):  # noqa: A002 (Django's name)
        super().__init__(attrs=attrs, format=format or ISO_DAY)


class DateField(forms.DateField):
    """A day picked in the browser's date input; ISO first, then the language's own ways of writing a day."""

    widget = DateInput

    input_formats = lazy(lambda: [ISO_DAY, *formats.get_format("DATE_INPUT_FORMATS")], list)()


def add_service_errors(
    form: forms.BaseForm,
    exc: ValidationError,
    *,
    rename: Mapping[str, str] | None = None,
    on_fields: bool = True,
) -> None:
    """Put a service's ``ValidationError`` (dict- or list-style) on ``form``.

    A key that names a field of the form goes on that field; any other key, and a list-style error, goes on
    the form itself (a non-field error). ``rename`` maps the service's keys to the form's field names where
    they differ (``{"to": "window_to"}``). ``on_fields=False`` puts every message on the form itself (pages
    that list a service's refusal above the form).
    """
    if not hasattr(exc, "error_dict"):
        form.add_error(None, exc)
        return
    for key, errors in exc.error_dict.items():
        field = (rename or {}).get(key, key)
        form.add_error(field if on_fields and field in form.fields else None, errors)


def errors_by_key(exc: ValidationError) -> dict[str, list[str]]:
    """A service's ``ValidationError`` as messages per key, for a page that shows them without a Django form
    (the questionnaire's item rows); a list-style error is under the key ``""``."""
    if hasattr(exc, "error_dict"):
        return exc.message_dict
    return {"": exc.messages}


def message_service_errors(request: HttpRequest, exc: ValidationError, *, joined: bool = False) -> None:
    """Each message of a service's ``ValidationError`` as an error message on the next page.

    ``joined=True`` makes them one message, the messages separated by spaces: the admin shows a refusal as
    one notice at the top of the page it goes back to.
    """
    if joined:
        messages.error(request, " ".join(exc.messages))
        return
    for message in exc.messages:
        messages.error(request, message)


def message_form_errors(request: HttpRequest, form: forms.BaseForm) -> None:
    """Each error of an invalid form as an error message on the next page, "<field label>: <message>" (the
    colon is the language's own)."""
    separator = pgettext("between a label and its value", ": ")
    for field, errors in form.errors.items():
        label = form.fields[field].label if field in form.fields else ""
        for message in errors:
            messages.error(request, f"{label}{separator}{message}" if label else message)


def submit_form(
    request: HttpRequest,
    form: forms.BaseForm,
    save: Callable[[dict[str, Any]], T],
    *,
    success: str | Callable[[T], str],
    redirect_to: str | Callable[[T], Any],
    formsets: Iterable[forms.BaseFormSet] = (),
    rename: Mapping[str, str] | None = None,
    on_fields: bool = True,
    warnings: Callable[[T], Iterable[str]] | None = None,
) -> HttpResponse | None:
    """The standard form POST: validate, call the service, show its refusal on the form, or redirect.

    On a POST whose form (and ``formsets``) are valid, ``save(form.cleaned_data)`` calls the service. When it
    raises ``ValidationError`` the errors go on the form (``add_service_errors`` with ``rename``/``on_fields``)
    and None is returned; otherwise ``success`` (a message, or a function of the service's result giving one)
    becomes a success message and the redirect to ``redirect_to`` (a URL, URL name or response, or a function
    of the result giving one) is returned. ``warnings``, a function of the result, gives messages shown as
    warnings after the success message (what was saved but deserves a second look, such as a scorecard's
    balance). None also for a GET or an invalid form: the caller renders the page.
    """
    if request.method != "POST" or not form.is_valid() or not all(formset.is_valid() for formset in formsets):
        return None
    try:
        result = save(form.cleaned_data)
    except ValidationError as exc:
        add_service_errors(form, exc, rename=rename, on_fields=on_fields)
        return None
    messages.success(request, success(result) if callable(success) else success)
    if warnings is not None:
        for warning in warnings(result):
            messages.warning(request, warning)
    target = redirect_to(result) if callable(redirect_to) else redirect_to
    return target if isinstance(target, HttpResponseBase) else redirect(target)
