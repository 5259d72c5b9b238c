"""Subscriptions whose address is already confirmed, for the sending tests."""

from datetime import UTC, datetime

from alerts.models import Subscription

#: The day before the sending tests' morning (5 May 2025).
CONFIRMED_AT = datetime(2025, 5, 4, 8, 0, tzinfo=UTC)


def confirmed(address: str, **fields) -> Subscription:
    subscription = Subscription(address=address, confirmed_at=CONFIRMED_AT, **fields)
    subscription.save()
    return subscription
