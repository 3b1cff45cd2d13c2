"""Oscar's dashboard root, forked so a producer who opens /dashboard/ lands
in their own workspace instead of on Oscar's shop-wide figures (which a
partner user would otherwise be allowed to see)."""

from functools import wraps

from django.shortcuts import redirect
from oscar.apps.dashboard import apps


class DashboardConfig(apps.DashboardConfig):
    name = "marketplace.dashboard"

    def get_url_decorator(self, pattern):
        decorator = super().get_url_decorator(pattern)
        if pattern.name != "index":
            return decorator

        def producers_to_their_workspace(view):
            guarded = decorator(view) if decorator else view

            @wraps(view)
            def index(request, *args, **kwargs):
                from marketplace.producers.workspace.access import membership_of

                user = request.user
                if user.is_authenticated and not user.is_staff and membership_of(user):
                    return redirect("workspace:summary")
                return guarded(request, *args, **kwargs)

            return index

        return producers_to_their_workspace
