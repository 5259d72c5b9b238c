"""A subscription made on a ministry's site follows only what that site carries; one made on the portal
follows every release."""

from __future__ import annotations

import pytest
from django.core import mail

from alerts.matching import release_keys
from alerts.models import Subscription
from tests import factories
from tests.alerts.subscribers import confirmed

pytestmark = pytest.mark.django_db


@pytest.fixture
def network(settings):
    settings.ALLOWED_HOSTS = [".gouvernement.lu", "testserver"]
    maint = factories.organisation(slug="maint", name_fr="Ministère des Affaires intérieures", acronym_fr="MAINT")
    police = factories.organisation(slug="police", name_fr="Police grand-ducale", parent=maint)
    mjust = factories.organisation(slug="mjust", name_fr="Ministère de la Justice", acronym_fr="MJUST")
    return {
        "portal": factories.site(None, hosts=["gouvernement.lu"]),
        "maint": factories.site(maint, hosts=["maint.gouvernement.lu"]),
        "mjust": factories.site(mjust, hosts=["mjust.gouvernement.lu"]),
        "orgs": {"maint": maint, "police": police, "mjust": mjust},
    }


def test_the_subscribe_form_on_a_ministry_site_subscribes_to_that_site(client, network):
    response = client.post(
        "/fr/alertes/",
        {"address": "Lea@Example.org", "language": "fr", "frequency": "immediate"},
        HTTP_HOST="maint.gouvernement.lu",
    )
    assert response.status_code == 200, response.content.decode()[:500]
    subscription = Subscription.objects.get(address="lea@example.org")
    assert subscription.site == network["maint"]
    assert "Ministère des Affaires intérieures" in mail.outbox[-1].body


def test_the_subscribe_form_on_the_portal_follows_every_release(client, network):
    client.post(
        "/fr/alertes/",
        {"address": "tout@example.org", "language": "fr", "frequency": "immediate"},
        HTTP_HOST="gouvernement.lu",
    )
    assert Subscription.objects.get(address="tout@example.org").site is None


def test_a_site_subscription_matches_only_the_releases_its_site_carries(network):
    orgs = network["orgs"]
    on_maint = confirmed("maint@example.org", site=network["maint"])
    on_portal = confirmed("tout@example.org")
    cases = {
        "maint alone": ([orgs["maint"]], {on_maint, on_portal}),
        "police, under maint": ([orgs["police"]], {on_maint, on_portal}),
        "maint and mjust": ([orgs["mjust"], orgs["maint"]], {on_maint, on_portal}),
        "mjust alone": ([orgs["mjust"]], {on_portal}),
        "neither": ([factories.organisation()], {on_portal}),
    }
    for case, (issuers, expected) in cases.items():
        release = factories.release(organisations=issuers)
        release.refresh_from_db()
        assert set(Subscription.objects.matching(release_keys(release))) == expected, case
