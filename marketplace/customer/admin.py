"""Oscar's customer admin, unchanged."""

from oscar.apps.customer.admin import *  # noqa: F403
