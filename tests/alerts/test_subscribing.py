"""Subscribing with double opt-in, confirming, managing, one-click unsubscribing and forgetting,
through the public pages and a real SMTP server."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
import time_machine
from django.core import signing
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from alerts import tokens
from alerts.models import Delivery, Subscription
from tests import factories

pytestmark = pytest.mark.django_db


def link(received, path_part: str) -> str:
    """The path of the first link containing ``path_part`` in a received message's text part."""
    text = received.part("text/plain")
    match = re.search(r"https://newsroom\.example(/\S*" + re.escape(path_part) + r"\S*)", text)
    assert match, text
    return match.group(1)


def subscribe(client, **data):
    data.setdefault("address", "lea@example.org")
    data.setdefault("language", "fr")
    data.setdefault("frequency", "immediate")
    return client.post("/fr/alertes/", data)


def test_every_list_person_organisation_tag_and_home_page_offers_the_form_without_a_csrf_token(client):
    org = factories.organisation(slug="maint")
    someone = factories.appointment(role_=factories.role(org))
    release = factories.release(organisations=[org])
    release.appointments.add(someone)
    release.tags.add("asile")
    pages = {
        "/fr/": {},
        "/fr/communiques/?organisation=maint": {"organisation": "maint"},
        f"/fr/organisations/{org.slug}/": {"organisation": "maint"},
        f"/fr/personnes/{someone.person.slug}/": {"person": someone.person.slug},
        "/fr/themes/asile/": {"tag": "asile"},
    }
    for path, filters in pages.items():
        html = client.get(path).content.decode()
        assert "Recevoir ces communiqués par e-mail" in html, path
        form = html[html.index('action="/fr/alertes/"') :]
        form = form[: form.index("</form>")]
        for name, value in filters.items():
            assert f'name="{name}" value="{value}"' in form, (path, name)
        assert "csrfmiddlewaretoken" not in html, f"{path}: the page stays cacheable"


def test_subscribing_sends_a_confirmation_and_nothing_counts_before_it(client, smtp):
    org = factories.organisation(slug="maint")
    response = subscribe(client, organisation="maint", wants_updates="on", language="de")
    assert response.status_code == 200
    assert "Vérifiez votre boîte" in response.content.decode()
    subscription = Subscription.objects.get()
    assert subscription.organisation == org and subscription.keys == [f"organisation:{org.pk}"]
    assert subscription.confirmed_at is None and subscription.wants_updates and subscription.language == "de"
    assert Subscription.objects.matching([f"organisation:{org.pk}", "kind:communique"]).count() == 0
    [message] = smtp.received
    assert message.recipients == ["lea@example.org"]
    assert message.message["Subject"].strip() == "Bestätigen Sie Ihr Abonnement für Pressemitteilungen"

    response = client.get(link(message, "/alertes/confirmer/"))
    assert response.status_code == 200 and "Abonnement bestätigt" in response.content.decode()
    subscription.refresh_from_db()
    assert subscription.confirmed_at is not None
    assert Subscription.objects.matching([f"organisation:{org.pk}", "kind:communique"]).count() == 1


def test_a_reused_confirmation_link_says_it_is_already_confirmed(client, smtp):
    subscribe(client)
    path = link(smtp.received[0], "/alertes/confirmer/")
    assert client.get(path).status_code == 200
    again = client.get(path)
    assert again.status_code == 409
    assert "Ce lien a déjà servi" in again.content.decode()


def test_a_tampered_confirmation_link_gets_a_clear_page_and_confirms_nothing(client, smtp):
    subscribe(client)
    path = link(smtp.received[0], "/alertes/confirmer/")
    token = path.rstrip("/").rsplit("/", 1)[1]
    forged = path.replace(token, token[:-3] + ("AAA" if not token.endswith("AAA") else "BBB"))
    response = client.get(forged)
    assert response.status_code == 400
    assert "Lien non valable" in response.content.decode()
    assert Subscription.objects.get().confirmed_at is None


def test_an_expired_confirmation_link_gets_a_clear_page(client, smtp, settings):
    subscribe(client)
    path = link(smtp.received[0], "/alertes/confirmer/")
    with time_machine.travel(timezone.now() + timedelta(days=settings.ALERTS_CONFIRM_DAYS, minutes=1)):
        response = client.get(path)
    assert response.status_code == 410
    assert "Ce lien de confirmation a expiré" in response.content.decode()
    assert Subscription.objects.get().confirmed_at is None


def test_a_bad_address_or_unknown_filter_keeps_what_was_typed_and_says_what_is_wrong(client, smtp):
    response = subscribe(client, address="lea@", organisation="nulle-part")
    html = response.content.decode()
    assert response.status_code == 400
    assert "Cette adresse e-mail n&#x27;est pas valide." in html
    assert "Cette organisation n&#x27;existe pas." in html
    assert 'value="lea@"' in html
    assert not Subscription.objects.exists() and not smtp.received


def test_the_mail_server_down_keeps_the_request_and_says_so(client, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", 9  # nothing listens there
    response = subscribe(client)
    assert response.status_code == 503
    assert "n'a pas pu être envoyé" in response.content.decode()
    assert Subscription.objects.filter(address="lea@example.org", confirmed_at__isnull=True).exists()


def test_too_many_requests_for_one_address_get_a_clear_429_page(client, smtp, settings):
    settings.ALERTS_RATE_PER_ADDRESS = 3
    for n in range(3):
        assert subscribe(client, language=["fr", "de", "en"][n]).status_code == 200
    refused = subscribe(client)
    assert refused.status_code == 429
    assert int(refused["Retry-After"]) > 0
    html = refused.content.decode()
    assert "<h1>Trop de demandes</h1>" in html and "Rien n'a été enregistré." in html
    assert len(smtp.received) == 3
    other = subscribe(client, address="autre@example.org")
    assert other.status_code == 200, "another address from the same client is not limited by that count"


def test_too_many_requests_from_one_client_get_a_429_page_in_its_language(smtp, settings):
    settings.ALERTS_RATE_PER_CLIENT = 2
    client = Client(REMOTE_ADDR="192.0.2.7")
    for n in range(2):
        assert subscribe(client, address=f"a{n}@example.org").status_code == 200
    refused = client.post("/de/alertes/", {"address": "a9@example.org", "language": "de", "frequency": "daily"})
    assert refused.status_code == 429
    assert "Zu viele Anfragen" in refused.content.decode()
    assert (
        Client(REMOTE_ADDR="192.0.2.8")
        .post("/fr/alertes/", {"address": "b@example.org", "language": "fr", "frequency": "daily"})
        .status_code
        == 200
    ), "another client is not limited"


def confirmed(address="lea@example.org", **fields) -> Subscription:
    subscription = Subscription(address=address, confirmed_at=timezone.now(), **fields)
    subscription.save()
    return subscription


def test_one_click_unsubscribe_is_a_post_without_cookies_or_csrf_token(smtp):
    subscription = confirmed()
    kept = confirmed(kind="speech")
    client = Client(enforce_csrf_checks=True)
    with translation.override("fr"):
        path = reverse("alerts-unsubscribe", kwargs={"token": tokens.unsubscribe_token(subscription)})
    response = client.post(path, {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    assert not client.cookies, "no cookie needed or set"
    assert list(Subscription.objects.all()) == [kept]
    assert client.post(path, {"List-Unsubscribe": "One-Click"}).status_code == 200, "twice is harmless"


def test_the_manage_page_changes_ends_and_forgets(smtp):
    org = factories.organisation()
    first = confirmed(organisation=org)
    second = confirmed(kind="speech")
    elsewhere = confirmed(address="autre@example.org")
    factories_release = factories.release()
    Delivery.objects.create(subscription=first, release=factories_release, state=Delivery.State.SENT)
    client = Client()
    with translation.override("fr"):
        path = reverse("alerts-manage", kwargs={"token": tokens.manage_token("lea@example.org")})
    page = client.get(path)
    assert page.status_code == 200 and "autre@example.org" not in page.content.decode()
    fields = {"subscription": first.pk, "action": "change", f"s{first.pk}-frequency": "daily"}
    changed = client.post(path, {**fields, f"s{first.pk}-language": "lb"})
    assert changed.status_code == 200 and "L'abonnement a été modifié." in changed.content.decode()
    first.refresh_from_db()
    assert (first.language, first.frequency, first.wants_updates) == ("lb", "daily", False)
    bad = client.post(path, {**fields, f"s{first.pk}-language": "xx"})
    assert bad.status_code == 400
    assert client.post(path, {"subscription": second.pk, "action": "end"}).status_code == 200
    assert not Subscription.objects.filter(pk=second.pk).exists()
    forgotten = client.post(path, {"action": "forget"})
    assert forgotten.status_code == 200 and "Adresse effacée" in forgotten.content.decode()
    assert not Subscription.objects.filter(address="lea@example.org").exists()
    assert not Delivery.objects.exists(), "the record of what was sent goes with it"
    assert list(Subscription.objects.all()) == [elsewhere]


def test_a_forged_manage_link_shows_nobody_s_subscriptions(client):
    confirmed()
    token = tokens.manage_token("lea@example.org")
    response = client.get(f"/fr/alertes/gerer/{signing.dumps('lea@example.org', salt='other')}/")
    assert response.status_code == 400 and "lea@example.org" not in response.content.decode()
    assert client.get(f"/fr/alertes/gerer/{token}x/").status_code == 400


def test_the_admin_shows_counts_never_addresses_and_only_central_editors_export(client):
    confirmed()
    confirmed(address="autre@example.org", frequency="daily")
    from django.contrib.auth.models import Permission

    officer = factories.user()
    officer.user_permissions.add(Permission.objects.get(codename="view_subscription"))
    client.force_login(officer)
    page = client.get(reverse("admin:alerts_subscription_changelist"))
    assert page.status_code == 200
    html = page.content.decode()
    assert "lea@example.org" not in html and "autre@example.org" not in html
    assert "Adresses différentes" in html
    assert client.get(reverse("admin:alerts_subscription_export")).status_code == 403
    one = Subscription.objects.get(address="lea@example.org")
    detail = client.get(reverse("admin:alerts_subscription_change", args=[one.pk]))
    assert detail.status_code == 403 and b"lea@example.org" not in detail.content
    history = client.get(reverse("admin:alerts_subscription_history", args=[one.pk]))
    assert history.status_code == 403 and b"lea@example.org" not in history.content
    officer.user_permissions.add(Permission.objects.get(codename="export_subscription"))
    officer = type(officer).objects.get(pk=officer.pk)
    client.force_login(officer)
    export = client.get(reverse("admin:alerts_subscription_export"))
    assert export.status_code == 200 and b"lea@example.org" in export.content


def test_a_theme_or_person_only_an_embargoed_release_names_cannot_be_followed_yet(client, smtp):
    from core.publication import Status

    secret = factories.appointment()
    embargoed = factories.release(status=Status.SCHEDULED, publish_at=timezone.now() + timedelta(hours=1))
    embargoed.tags.add("secret-theme")
    embargoed.appointments.add(secret)
    for name, value in (("tag", "secret-theme"), ("person", secret.person.slug)):
        response = subscribe(client, **{name: value})
        assert response.status_code == 400, name
        assert "existe pas" in response.content.decode()
    assert not Subscription.objects.exists() and not smtp.received
