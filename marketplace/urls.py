"""URL map: Oscar under /shop/, its dashboard at /dashboard/, Wagtail's admin
at /cms-admin/, and Wagtail's page tree last so its catch-all sees only what
nothing else claimed (design.md §1)."""

from django.apps import apps
from django.conf import settings
from django.urls import include, path
from django.views.i18n import set_language
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.contrib.sitemaps import Sitemap as WagtailSitemap
from wagtail.contrib.sitemaps.views import sitemap as wagtail_sitemap
from wagtail.documents import urls as wagtaildocs_urls

from catalogue.sitemaps import ProductSitemap
from marketplace.core import views as core_views
from marketplace.customer import views as customer_views
from marketplace.health import views as health_views
from marketplace.registry import views as registry_views

handler404 = core_views.page_not_found
handler500 = core_views.server_error


def sitemap(request):
    """`/sitemap.xml`: Wagtail's live public pages and today's listable
    products. Both sitemaps get the request: Wagtail's to find its site,
    ours to put the request's host on product URLs."""
    sitemaps = {"pages": WagtailSitemap, "products": ProductSitemap(request)}
    return wagtail_sitemap(request, sitemaps)


urlpatterns = [
    path("i18n/setlang/", set_language, name="set_language"),
    # The header's switcher (a GET: shared pages carry no CSRF token), and
    # the token itself for the scripts that post from shared pages.
    path("ngon-ngu/", core_views.language_choose, name="language-choose"),
    path("csrf-token/", core_views.csrf_token, name="csrf-token"),
    # Liveness (the process only) and readiness (each dependency); the bare
    # /healthz/ stays as liveness for probes and the benchmark that use it.
    path("healthz/", health_views.liveness, name="healthz"),
    path("healthz/live/", health_views.liveness, name="healthz-live"),
    path("healthz/ready/", health_views.readiness, name="healthz-ready"),
    path("sitemap.xml", sitemap, name="sitemap"),
    # POST only: Wagtail's own view deletes the session cookie even on a GET.
    path(settings.WAGTAILADMIN_URL_PREFIX.strip("/") + "/logout/", customer_views.wagtail_logout),
    path(settings.WAGTAILADMIN_URL_PREFIX.strip("/") + "/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("chu-the/", include("marketplace.producers.urls")),
    path("dashboard/workspace/", include("marketplace.producers.workspace.urls")),
    path("dashboard/", apps.get_app_config("dashboard").urls),
    path("chung-nhan/", registry_views.certificate_lookup, name="certificate-lookup"),
    path("shop/", include(apps.get_app_config("oscar").urls[0])),
    path("payments/", include("marketplace.payments.urls")),
    path("lich/", include("cms.urls")),
]

if settings.SERVE_MEDIA:
    # Uploaded files, served by Django only on a laptop and in tests; production
    # serves them from the web server or object storage.
    from django.views.static import serve

    media_prefix = settings.MEDIA_URL.strip("/")
    urlpatterns += [
        path(f"{media_prefix}/<path:path>", serve, {"document_root": settings.MEDIA_ROOT})
    ]

urlpatterns += [path("", include(wagtail_urls))]
