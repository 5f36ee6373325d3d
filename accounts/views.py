"""The admin page where a staff member sets up two-factor authentication."""

import base64
import io

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.contrib import admin, messages
from django.shortcuts import redirect, render
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django_otp import login as otp_login

from accounts import twofactor
from accounts.forms import EnableTwoFactorForm


def _qr_data_uri(url: str) -> str:
    # An <img> with a data: URI: allowed by the Content-Security-Policy
    # (img-src data:), unlike inline SVG with style attributes.
    image = qrcode.make(url, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    buffer = io.BytesIO()
    image.save(buffer)
    return "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue()).decode()


def two_factor(request):
    """GET: the state, or the QR code and secret of a new authenticator.
    POST: a code from the app confirms it, and this session counts as verified."""
    user = request.user
    context = {
        **admin.site.each_context(request),
        "title": _("Two-factor authentication"),
        "required": twofactor.required_for(user),
        "enabled": twofactor.enabled_for(user),
    }
    status = 200
    if not context["enabled"]:
        device = twofactor.pending_device(user)
        form = EnableTwoFactorForm(request.POST or None)
        if request.method == "POST":
            if form.is_valid() and twofactor.enable(
                user, device, form.cleaned_data["otp_token"].strip().replace(" ", "")
            ):
                otp_login(request, device)
                messages.success(request, _(
                    "Two-factor authentication is on: from now on, logging in asks for a code."))
                return redirect("two_factor")
            form.add_error("otp_token", _(
                "That code does not match. Check the time on your phone and try the "
                "current code."))
            status = 400
        context.update(
            form=form, qr=_qr_data_uri(device.config_url),
            secret=base64.b32encode(device.bin_key).decode(),
        )
    return TemplateResponse(request, "accounts/two_factor.html", context, status=status)


def locked_out(request, original_response=None, credentials=None):
    """django-axes' answer to a login while locked out (AXES_LOCKOUT_CALLABLE):
    429 with the wait, in minutes and in Retry-After."""
    seconds = int(settings.AXES_COOLOFF_TIME.total_seconds())
    context = {
        **admin.site.each_context(request),
        "failure_limit": settings.AXES_FAILURE_LIMIT,
        "minutes": max(1, -(-seconds // 60)),
    }
    # Rendered now: axes returns it from middleware, past the template-response phase.
    response = render(request, "accounts/locked_out.html", context, status=429)
    response["Retry-After"] = str(seconds)
    return response
