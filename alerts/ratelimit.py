"""Rate limits of the subscribe form, per address and per client, counted in the shared cache.

The client address is read as django-axes reads it for sign-ins (``AXES_PROXY_COUNT`` behind a
reverse proxy), so both limits see the same client.
"""

from __future__ import annotations

import hashlib
import time

from axes.helpers import get_client_ip_address
from django.conf import settings
from django.core.cache import caches


def _hit(key: str, limit: int, window: int) -> int | None:
    """Count one attempt in the current window; return the seconds to wait if over ``limit``."""
    cache = caches["default"]
    now = int(time.time())
    start = now - now % window
    full_key = f"alerts:rate:{key}:{start}"
    cache.add(full_key, 0, timeout=window + 5)
    try:
        count = cache.incr(full_key)
    except ValueError:  # expired between add and incr
        cache.set(full_key, 1, timeout=window + 5)
        count = 1
    if count > limit:
        return start + window - now
    return None


def check_subscribe(request, address: str) -> int | None:
    """Seconds to wait before another subscription from this client or for this address, or None."""
    window = settings.ALERTS_RATE_WINDOW_SECONDS
    client = get_client_ip_address(request) or "unknown"
    wait = _hit(f"client:{client}", settings.ALERTS_RATE_PER_CLIENT, window)
    if address:
        digest = hashlib.sha256(address.strip().lower().encode()).hexdigest()[:32]
        wait = max(wait or 0, _hit(f"address:{digest}", settings.ALERTS_RATE_PER_ADDRESS, window) or 0) or None
    return wait
