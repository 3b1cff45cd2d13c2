"""Oscar's analytics models, unchanged (the fork is for the receivers)."""

from oscar.apps.analytics.models import *  # noqa: F403
