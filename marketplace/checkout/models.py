"""Oscar's checkout models, unchanged."""

from oscar.apps.checkout.models import *  # noqa: F403
