"""Subscribing (double opt-in), confirming, managing, one-click unsubscribing and forgetting.

The subscribe form sits on cached public pages, so it carries no CSRF token: it posts to
:func:`subscribe`, which is exempt from the CSRF check. What protects it instead: nothing is sent to
an address before that address confirms through a signed link (a forged post can only make us send
one confirmation message), and rate limits per address and per client (429). The manage page, reached
only through a signed link, uses the CSRF check as usual; the one-click unsubscribe (RFC 8058) is a
POST without cookies, so it is exempt too, its signed link being the proof.
"""

from __future__ import annotations

import logging
import smtplib

from django.core import signing
from django.db import transaction
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import get_language
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from alerts import mail, ratelimit, tokens
from alerts.forms import FILTERS, SubscribeForm, SubscriptionChangeForm
from alerts.models import Subscription

logger = logging.getLogger(__name__)


def rate_limited(request, wait: int):
    response = render(request, "alerts/rate_limited.html", {"minutes": max(1, (wait + 59) // 60)}, status=429)
    response["Retry-After"] = str(wait)
    return response


def save_subscription(form: SubscribeForm, site=None) -> Subscription:
    """The subscription the form asks for; made on a ministry's ``site``, it follows only that site."""
    data = form.cleaned_data
    on_site = site if site is not None and site.pk and not site.is_portal else None
    candidate = Subscription(address=data["address"], site=on_site, **form.filter_values())
    with transaction.atomic():
        subscription = (
            Subscription.objects.select_for_update()
            .filter(address=candidate.address, keys=candidate.filter_keys())
            .first()
        )
        if subscription is None:
            subscription = candidate
        if subscription.confirmed_at is None:
            # Not confirmed yet: the last form sent decides (a confirmed one changes on its manage page only).
            subscription.language = data["language"]
            subscription.frequency = data["frequency"]
            subscription.wants_updates = data["wants_updates"]
            subscription.save()
    return subscription


@csrf_exempt
@never_cache
@require_http_methods(["GET", "POST"])
def subscribe(request):
    if request.method == "GET":
        initial = {"language": get_language(), **{name: request.GET.get(name, "") for name in FILTERS}}
        form = SubscribeForm(initial=initial)
        return render(request, "alerts/subscribe.html", {"form": form})
    form = SubscribeForm(request.POST)
    wait = ratelimit.check_subscribe(request, request.POST.get("address", "")[:254])
    if wait:
        return rate_limited(request, wait)
    if not form.is_valid():
        return render(request, "alerts/subscribe.html", {"form": form}, status=400)
    subscription = save_subscription(form, getattr(request, "site", None))
    try:
        mail.send_now(mail.confirmation_message(subscription))
    except (smtplib.SMTPException, OSError):
        logger.exception("The confirmation of subscription %s could not be sent", subscription.pk)
        form.add_error(None, "mail")
        return render(request, "alerts/subscribe.html", {"form": form, "mail_failed": True}, status=503)
    return render(request, "alerts/subscribe_sent.html", {"address": subscription.address})


@never_cache
def confirm(request, token):
    try:
        pk, created = tokens.read_confirm_token(token)
    except signing.SignatureExpired:
        return render(request, "alerts/link_problem.html", {"problem": "expired"}, status=410)
    except signing.BadSignature:
        return render(request, "alerts/link_problem.html", {"problem": "invalid"}, status=400)
    subscription = Subscription.objects.filter(pk=pk).first()
    if subscription is None or abs(subscription.created_at.timestamp() - created) > 1:
        return render(request, "alerts/link_problem.html", {"problem": "gone"}, status=410)
    manage_url = mail.url_in(get_language(), "alerts-manage", token=tokens.manage_token(subscription.address))
    if subscription.confirmed_at is not None:
        return render(request, "alerts/link_problem.html", {"problem": "used", "manage_url": manage_url}, status=409)
    updated = Subscription.objects.filter(pk=pk, confirmed_at__isnull=True).update(confirmed_at=timezone.now())
    if not updated:  # confirmed by a concurrent click
        return render(request, "alerts/link_problem.html", {"problem": "used", "manage_url": manage_url}, status=409)
    subscription.refresh_from_db()
    return render(
        request,
        "alerts/confirmed.html",
        {
            "subscription": subscription,
            "description": mail.describe(subscription, get_language()),
            "manage_url": manage_url,
        },
    )


@never_cache
@require_http_methods(["GET", "POST"])
def manage(request, token):
    try:
        address = tokens.read_manage_token(token)
    except signing.BadSignature:
        return render(request, "alerts/link_problem.html", {"problem": "invalid"}, status=400)
    subscriptions = Subscription.objects.filter(address=address).select_related(
        "organisation", "person", "tag", "meeting"
    )
    message = ""
    status = 200
    forms = {}
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "forget":
            with transaction.atomic():
                Subscription.objects.filter(address=address).delete()
            return render(request, "alerts/forgotten.html", {"address": address})
        subscription = subscriptions.filter(pk=request.POST.get("subscription") or 0).first()
        if subscription is None:
            message, status = "unknown", 400
        elif action == "end":
            subscription.delete()
            message = "ended"
        elif action == "change":
            form = SubscriptionChangeForm(request.POST, prefix=f"s{subscription.pk}")
            if form.is_valid():
                for field, value in form.cleaned_data.items():
                    setattr(subscription, field, value)
                subscription.save(update_fields=["language", "frequency", "wants_updates"])
                message = "changed"
            else:
                forms[subscription.pk] = form
                message, status = "invalid", 400
        else:
            message, status = "unknown", 400
    rows = []
    for subscription in subscriptions.order_by("created_at"):
        form = forms.get(subscription.pk) or SubscriptionChangeForm(
            prefix=f"s{subscription.pk}",
            initial={
                "language": subscription.language,
                "frequency": subscription.frequency,
                "wants_updates": subscription.wants_updates,
            },
        )
        rows.append((subscription, mail.describe(subscription, get_language()), form))
    return render(request, "alerts/manage.html", {"address": address, "rows": rows, "message": message}, status=status)


@csrf_exempt
@never_cache
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token):
    """GET shows a button; POST (the button, or a mail client's one-click ``List-Unsubscribe=One-Click``) ends it."""
    try:
        pk, created = tokens.read_unsubscribe_token(token)
    except signing.BadSignature:
        return render(request, "alerts/link_problem.html", {"problem": "invalid"}, status=400)
    subscription = Subscription.objects.filter(pk=pk).first()
    if subscription is not None and int(subscription.created_at.timestamp()) != created:
        subscription = None
    if subscription is None:  # already ended (twice is harmless)
        return render(request, "alerts/unsubscribed.html", {"address": ""})
    address = subscription.address
    if request.method == "GET":
        return render(
            request,
            "alerts/unsubscribe.html",
            {"subscription": subscription, "description": mail.describe(subscription, get_language())},
        )
    Subscription.objects.filter(pk=pk).delete()
    return render(request, "alerts/unsubscribed.html", {"address": address})
