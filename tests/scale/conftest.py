"""The scaled-out newsroom, started once for the scale tests and stopped after them, even on failure."""

from __future__ import annotations

import pytest

from tests.scale.cluster import ScaledNewsroom, new_base


@pytest.fixture(scope="session")
def scaled():
    newsroom = ScaledNewsroom(new_base())
    try:
        newsroom.start()
        yield newsroom
    except BaseException:
        print(newsroom.logs())
        raise
    finally:
        newsroom.stop()


@pytest.fixture(scope="session")
def varnish(scaled):
    """Varnish (the committed deploy/varnish/ configuration) in front of both app processes."""
    return scaled.varnish
