"""Oscar's search, forked under the same label.

The fork will hold the OpenSearch and database backends behind one
interface; Oscar's catalogue views import `search.views` from here.
"""

import oscar.apps.search.apps as apps


class SearchConfig(apps.SearchConfig):
    name = "search"

    def ready(self):
        super().ready()
        from search import receivers  # noqa: F401  (connects the reindex receivers)
