"""The password-reset request ("forgot your password"), limited per client address and per email address.

Each request may send a mail: unlimited, the form floods a mailbox or gets the mail server listed as a spammer.
Past ``password_reset_address`` requests from one address, or ``password_reset_email`` for one email address
(rates in ``REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]``, counted in the shared throttle cache, org.throttling),
the form answers 429 with a page saying when to try again. An email address is counted whether an account
has it or not, so the answers for a known and an unknown address stay the same (no account enumeration).
"""

from __future__ import annotations

import math

from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from .throttling import PasswordResetAddressThrottle, PasswordResetEmailThrottle, SharedThrottle

THROTTLED_STATUS = 429


def password_reset_throttled(request: HttpRequest, throttle: SharedThrottle) -> HttpResponse:
    """429: too many reset requests, and in how many minutes to try again (``Retry-After`` in seconds)."""
    seconds = throttle.retry_after_seconds()
    context = {"minutes": math.ceil(seconds / 60)}
    response = render(request, "registration/password_reset_throttled.html", context, status=THROTTLED_STATUS)
    response["Retry-After"] = str(seconds)
    return response


class PasswordResetView(auth_views.PasswordResetView):
    """Django's password-reset request, counted per client address (every POST) and per email address (every
    valid form) before a mail may go out."""

    def post(self, request, *args, **kwargs):
        address = PasswordResetAddressThrottle()
        if not address.allow_request(request, self):
            return password_reset_throttled(request, address)
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        email = PasswordResetEmailThrottle(form.cleaned_data["email"])
        if not email.allow_request(self.request, self):
            return password_reset_throttled(self.request, email)
        return super().form_valid(form)
