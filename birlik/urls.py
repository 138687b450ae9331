from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from api.urls import api
from core import views as core_views

urlpatterns = [
    path("healthz", core_views.healthz, name="healthz"),
    path("api/v1/", api.urls),
    path("django-admin/", admin.site.urls),
    path("cms/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("i18n/", include("django.conf.urls.i18n")),
    path("hooks/", include("messaging.hook_urls")),  # SMS gateway callbacks (shared secret)
    path("", include("publications.feed_urls")),
]

urlpatterns += i18n_patterns(
    path("accounts/", include("allauth.urls")),
    path("staff/geography/", include("geo.staff_urls")),
    path("staff/elections/", include("elections.staff_urls")),
    path("staff/observers/", include("observers.staff_urls")),
    path("staff/forms/", include("questionnaires.staff_urls")),
    path("staff/observation/", include("observation.staff_urls")),
    path("staff/incidents/", include("incidents.staff_urls")),
    path("staff/messages/", include("messaging.staff_urls")),
    path("staff/results/", include("results.staff_urls")),
    path("staff/quick-count/", include("quickcount.staff_urls")),
    path("staff/forensics/", include("forensics.staff_urls")),
    path("staff/statements/", include("statements.staff_urls")),
    path("staff/", include("backoffice.urls")),
    path("stations/", include("geo.urls")),
    path("observe/", include("observers.urls")),
    path("observer/", include("observation.urls")),  # the observer's phone page
    path("incidents/", include("incidents.urls")),
    path("results/", include("statements.urls")),  # published statements and results
    path("", include("publications.urls")),  # search and feeds, before Wagtail's catch-all
    path("", include(wagtail_urls)),
    prefix_default_language=True,
)

if settings.BENCH_YARDSTICK:  # the benchmark's bare endpoint, only when it asks for it
    from bench.yardstick import urlpatterns as yardstick_urlpatterns

    urlpatterns = yardstick_urlpatterns + urlpatterns

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns = static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT) + urlpatterns
