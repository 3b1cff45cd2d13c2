"""Oscar's analytics, forked only to make its counters safe under load.

Oscar's receivers create a counter row on a product's first view with a
bare INSERT; two first views at once raise a duplicate-key error, and with
`ATOMIC_REQUESTS` and no savepoint the whole request then fails with a 500
(design.md §6). Our receivers (`marketplace.analytics.receivers`) count the
same things, with the INSERT in a savepoint. The counts feed search's
popularity signal (`search.popularity`).
"""

import oscar.apps.analytics.apps as apps


class AnalyticsConfig(apps.AnalyticsConfig):
    name = "marketplace.analytics"

    def ready(self):
        # Not super().ready(): that would connect Oscar's unsafe receivers.
        # app loading: receivers import models, ready only once apps are
        from marketplace.analytics import receivers  # noqa: F401
