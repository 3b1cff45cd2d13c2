"""Oscar's customer models, unchanged."""

from oscar.apps.customer.models import *  # noqa: F403
