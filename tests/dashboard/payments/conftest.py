"""The payments fixtures (a card payment started against stripe-mock), for
the screens that refund it."""

from tests.payments.conftest import started, stripe_client, webhook_secret  # noqa: F401
