"""Oscar's root app config, forked to reshape the shop's URL map.

- The catalogue is the shop's front page: `/shop/` lists products instead of
  redirecting, so shared links stay short.
- The dashboard moves out of the shop to `/dashboard/`, where urls.py
  mounts it, for operators and producers.
"""

from django.urls import path
from oscar.config import Shop


class MarketplaceShop(Shop):
    """Oscar's shop URLs, with the catalogue at the root and no dashboard."""

    def get_urls(self):
        urls = []
        for url in super().get_urls():
            route = str(url.pattern)
            if route in ("", "dashboard/"):
                continue  # the redirect to OSCAR_HOMEPAGE, and the dashboard
            if route == "catalogue/":
                url = path("", self.catalogue_app.urls)
            urls.append(url)
        return urls
