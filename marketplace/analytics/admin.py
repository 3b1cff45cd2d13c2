"""Oscar's analytics admin, unchanged."""

from oscar.apps.analytics.admin import *  # noqa: F403
