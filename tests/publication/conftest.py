"""Profiles and organisations for the publication tests: two ministries, A and B."""

from __future__ import annotations

import importlib

import pytest
from django.contrib.auth.models import Group

from people.models import OrganisationMembership
from tests import factories

PRESS_OFFICER = "Chargé de presse"
EDITOR = "Éditeur"
CENTRAL_EDITOR = "Éditeur central"


def ensure_editorial_groups() -> None:
    """The groups come from a data migration; a transactional test elsewhere (a browser test) flushes
    them from a reused test database, so they are put back the way the migration makes them."""
    if Group.objects.filter(name__in=[PRESS_OFFICER, EDITOR, CENTRAL_EDITOR]).count() == 3:
        return
    from django.apps import apps

    migration = importlib.import_module("releases.migrations.0003_editorial_groups")
    migration.create_groups(apps, None)
    # The later grants to the same groups.
    importlib.import_module("alerts.migrations.0002_editorial_permissions").grant(apps, None)
    importlib.import_module("sites.migrations.0002_central_editors").grant(apps, None)


def member(group: str, *organisations):
    ensure_editorial_groups()
    user = factories.user()
    user.groups.add(Group.objects.get(name=group))
    for organisation in organisations:
        OrganisationMembership.objects.create(user=user, organisation=organisation)
    return user


@pytest.fixture
def org_a(db):
    return factories.organisation(slug="ministere-a", name_fr="Ministère A")


@pytest.fixture
def org_b(db):
    return factories.organisation(slug="ministere-b", name_fr="Ministère B")


@pytest.fixture
def press_officer_a(org_a):
    return member(PRESS_OFFICER, org_a)


@pytest.fixture
def editor_a(org_a):
    return member(EDITOR, org_a)


@pytest.fixture
def central_editor(db):
    return member(CENTRAL_EDITOR)


@pytest.fixture
def superuser(db):
    return factories.user(superuser=True)


def pytest_terminal_summary(terminalreporter):
    """The permission sweep's figure for docs/security.md and docs/reliability.md, after a run that includes it."""
    import sys

    sweep = sys.modules.get("tests.publication.test_admin_sweep") or sys.modules.get("publication.test_admin_sweep")
    if sweep is not None and sweep.URLS_TRIED["count"]:
        terminalreporter.write_line(f"admin permission sweep: {sweep.URLS_TRIED['count']} admin URL requests")
