"""Oscar's dashboard root, forked for two reasons:

- a producer who opens /dashboard/ lands in their own workspace instead of
  on Oscar's shop-wide figures (which a partner user would otherwise be
  allowed to see);
- it mounts our operator areas next to Oscar's own, each a dashboard app
  laid out like Oscar's `apps/dashboard/<area>/`: registry, payments,
  producers and sign-in lockouts."""

from functools import wraps

from django.apps import apps as django_apps
from django.shortcuts import redirect
from django.urls import include, path
from oscar.apps.dashboard import apps


class DashboardConfig(apps.DashboardConfig):
    name = "marketplace.dashboard"

    def ready(self):
        super().ready()
        self.registry_app = django_apps.get_app_config("registry_dashboard")
        self.payments_app = django_apps.get_app_config("payments_dashboard")
        self.producers_app = django_apps.get_app_config("producers_dashboard")
        self.lockouts_app = django_apps.get_app_config("lockouts_dashboard")

    def get_urls(self):
        return [
            *super().get_urls(),
            path("registry/", include(self.registry_app.urls[0])),
            path("refunds/", include(self.payments_app.urls[0])),
            path("producers/", include(self.producers_app.urls[0])),
            path("lockouts/", include(self.lockouts_app.urls[0])),
        ]

    def get_url_decorator(self, pattern):
        decorator = super().get_url_decorator(pattern)
        if pattern.name != "index":
            return decorator

        def producers_to_their_workspace(view):
            guarded = decorator(view) if decorator else view

            @wraps(view)
            def index(request, *args, **kwargs):
                # apps.py loads before the models that `access` imports
                from marketplace.producers.workspace.access import membership_of

                user = request.user
                if user.is_authenticated and not user.is_staff and membership_of(user):
                    return redirect("workspace:summary")
                return guarded(request, *args, **kwargs)

            return index

        return producers_to_their_workspace
