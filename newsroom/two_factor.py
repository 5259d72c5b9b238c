"""Two-factor sign-in to the admin: a TOTP code (django-otp) after the password.

With ``ADMIN_REQUIRE_2FA`` on, a staff member signed in with a password reaches the admin only once
verified: one with a confirmed authenticator is sent to the code page; one without is sent to the
enrolment page, which shows the ``otpauth://`` address and its QR code (SVG made by segno).
"""

from __future__ import annotations

import segno
from django import forms
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django_otp import login as otp_login
from django_otp import user_has_device
from django_otp.plugins.otp_totp.models import TOTPDevice

DEVICE_NAME = "Application d'authentification"


def admin_prefix() -> str:
    return "/" + settings.ADMIN_PATH


class AdminTwoFactorMiddleware:
    """Sends signed-in staff who have not given a code to the code page (or the enrolment page)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if self.must_verify(request):
            user = request.user
            target = "two-factor-verify" if user_has_device(user, confirmed=True) else "two-factor-enrol"
            return HttpResponseRedirect(f"{reverse(target)}?next={request.get_full_path()}")
        return self.get_response(request)

    @staticmethod
    def must_verify(request) -> bool:
        if not getattr(settings, "ADMIN_REQUIRE_2FA", False):
            return False
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or not user.is_staff or user.is_verified():
            return False
        prefix = admin_prefix()
        if not request.path.startswith(prefix):
            return False
        free = ("admin:logout", "admin:login", "two-factor-verify", "two-factor-enrol")
        return request.path not in [reverse(name) for name in free]


class CodeForm(forms.Form):
    token = forms.CharField(
        label=_("Code à six chiffres"),
        max_length=8,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}),
    )


def _next_url(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, require_https=request.is_secure()):
        return target
    return reverse("admin:index")


def _staff_only(view):
    @never_cache
    @sensitive_post_parameters("token")
    @login_required
    def wrapper(request, *args, **kwargs):
        if not request.user.is_staff:
            return HttpResponseRedirect(reverse("admin:login"))
        return view(request, *args, **kwargs)

    wrapper.__name__ = view.__name__
    wrapper.__doc__ = view.__doc__
    return wrapper


def _admin_context(request) -> dict:
    """The admin's header and links, without its list of models (not before the code is given)."""
    from django.contrib import admin

    return {**admin.site.each_context(request), "available_apps": [], "is_nav_sidebar_enabled": False}


def qr_code_data_uri(uri: str) -> str:
    """The address as an SVG QR code in a ``data:`` URI (allowed by the policy's ``img-src``)."""
    return segno.make(uri, error="m").svg_data_uri(scale=5, border=2)


@_staff_only
def enrol(request):
    """Shows a new secret (address and QR code); a correct code from the app confirms it."""
    user = request.user
    if user_has_device(user, confirmed=True):
        return HttpResponseRedirect(reverse("two-factor-verify") + f"?next={_next_url(request)}")
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["token"].strip()):
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            otp_login(request, device)
            return HttpResponseRedirect(_next_url(request))
        form.add_error("token", _("Code incorrect ou expiré. Réessayez avec le code affiché maintenant."))
    uri = device.config_url
    context = {
        "form": form,
        "otpauth_uri": uri,
        "qr_code": qr_code_data_uri(uri),
        "next": _next_url(request),
        "title": _("Activer la double authentification"),
        **_admin_context(request),
    }
    return render(request, "security/two_factor_enrol.html", context)


@_staff_only
def verify(request):
    """Asks for the current code of the staff member's authenticator app."""
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        token = form.cleaned_data["token"].strip()
        for device in TOTPDevice.objects.filter(user=request.user, confirmed=True):
            if device.verify_is_allowed()[0] and device.verify_token(token):
                otp_login(request, device)
                return HttpResponseRedirect(_next_url(request))
        form.add_error("token", _("Code incorrect ou expiré. Réessayez avec le code affiché maintenant."))
    context = {
        "form": form,
        "next": _next_url(request),
        "title": _("Double authentification"),
        **_admin_context(request),
    }
    return render(request, "security/two_factor_verify.html", context)
