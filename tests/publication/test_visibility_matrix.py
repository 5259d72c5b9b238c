"""Rule 1: one definition of public, decided at query time, to the millisecond."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta

import pytest
import time_machine

from core.publication import Status
from media.models import Gallery
from meetings.models import Meeting
from releases.models import Release
from tests import factories

NOW = datetime(2025, 6, 2, 8, 0, 0, tzinfo=UTC)  # 10:00:00 in Luxembourg (CEST)
OFFSETS = {"past": -timedelta(hours=1), "future": timedelta(hours=1)}
UNPUBLISH = {"none": None, "past": -timedelta(minutes=30), "future": timedelta(hours=2)}
CASES = list(itertools.product(Status.values, OFFSETS, UNPUBLISH))


def expected_public(status: str, publish: str, unpublish: str) -> bool:
    return (
        status in {Status.SCHEDULED, Status.PUBLISHED, Status.WITHDRAWN} and publish == "past" and unpublish != "past"
    )


@pytest.mark.django_db
@pytest.mark.parametrize(("status", "publish", "unpublish"), CASES)
def test_release_meeting_gallery_public_matrix(status, publish, unpublish):
    """Status × publish_at past/future × unpublish_at past/future/none: public() and is_public() agree."""
    publish_at = NOW + OFFSETS[publish]
    unpublish_at = NOW + UNPUBLISH[unpublish] if UNPUBLISH[unpublish] is not None else None
    with time_machine.travel(NOW, tick=False):
        release = factories.release(status=status, publish_at=publish_at, unpublish_at=unpublish_at)
        meeting = factories.meeting(status=status, publish_at=publish_at, unpublish_at=unpublish_at)
        gallery = factories.gallery(status=status, publish_at=publish_at, unpublish_at=unpublish_at)
        expected = expected_public(status, publish, unpublish)
        assert Release.objects.public().filter(pk=release.pk).exists() is expected
        assert Meeting.objects.public().filter(pk=meeting.pk).exists() is expected
        assert Gallery.objects.public().filter(pk=gallery.pk).exists() is expected
        assert release.is_public() is expected
        assert meeting.is_public() is expected
        assert gallery.is_public() is expected


@pytest.mark.django_db
@pytest.mark.parametrize("status", [Status.SCHEDULED, Status.PUBLISHED])
def test_public_at_the_exact_second_of_publish_at(status):
    """Scheduled for 10:00:00.000: not public at 09:59:59.999, public at 10:00:00.000, with no job to run."""
    publish_at = datetime(2025, 6, 2, 8, 0, 0, tzinfo=UTC)
    release = factories.release(status=status, publish_at=publish_at)
    with time_machine.travel(publish_at - timedelta(milliseconds=1), tick=False):
        assert not Release.objects.public().filter(pk=release.pk).exists()
        assert not release.is_public()
    with time_machine.travel(publish_at, tick=False):
        assert Release.objects.public().filter(pk=release.pk).exists()
        assert release.is_public()


@pytest.mark.django_db
def test_not_public_from_the_exact_second_of_unpublish_at():
    """unpublish_at 12:00:00.000: public at 11:59:59.999, gone (410, not public) at 12:00:00.000."""
    unpublish_at = datetime(2025, 6, 2, 10, 0, 0, tzinfo=UTC)
    release = factories.release(
        status=Status.PUBLISHED, publish_at=unpublish_at - timedelta(hours=2), unpublish_at=unpublish_at
    )
    with time_machine.travel(unpublish_at - timedelta(milliseconds=1), tick=False):
        assert release.is_public()
        assert not Release.objects.gone().filter(pk=release.pk).exists()
    with time_machine.travel(unpublish_at, tick=False):
        assert not Release.objects.public().filter(pk=release.pk).exists()
        assert Release.objects.gone().filter(pk=release.pk).exists()
