"""Read queries for people and organisations (who has a public page: ``website.selectors``)."""

from __future__ import annotations

from django.db.models import QuerySet

from people.models import Organisation


def ministries() -> QuerySet[Organisation]:
    """Ministries in office, for the home page."""
    return Organisation.objects.filter(kind=Organisation.Kind.MINISTRY, closed_on__isnull=True).order_by("name")
