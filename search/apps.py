"""Oscar's search, forked under the same label.

The fork holds the OpenSearch and database backends behind one interface;
Oscar's catalogue views import `search.views` from here.
"""

import oscar.apps.search.apps as apps
from django.urls import path
from oscar.core.loading import get_class


class SearchConfig(apps.SearchConfig):
    name = "search"

    def ready(self):
        super().ready()
        self.suggest_view = get_class("search.views", "SuggestView")
        # app loading: the receivers import models, ready only once apps are
        from search import receivers  # noqa: F401

    def get_urls(self):
        urls = super().get_urls()
        urls += self.post_process_urls(
            [path("suggest/", self.suggest_view.as_view(), name="suggest")]
        )
        return urls
