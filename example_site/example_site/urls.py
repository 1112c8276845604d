from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.api.v2.router import WagtailAPIRouter
from wagtail.contrib.sitemaps.views import sitemap
from wagtail.documents import urls as wagtaildocs_urls

from search import views as search_views
from sluss_wagtail.api_views import SlussPagesAPIViewSet

# The open API: Wagtail's pages endpoint, without confidential innovations.
api_router = WagtailAPIRouter("wagtailapi")
api_router.register_endpoint("pages", SlussPagesAPIViewSet)

urlpatterns = [
    path("django-admin/", admin.site.urls),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("api/v2/", api_router.urls),
    path("sitemap.xml", sitemap),
]

if settings.DEBUG:
    from django.conf.urls.static import static
    from django.contrib.staticfiles.urls import staticfiles_urlpatterns

    # Serve static and media files from development server
    urlpatterns += staticfiles_urlpatterns()
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

# Swedish pages at /, English under /en/. Wagtail's pages come last.
urlpatterns += i18n_patterns(
    path("search/", search_views.search, name="search"),
    path("idesluss/", include("sluss_wagtail.urls")),
    path("", include(wagtail_urls)),
    prefix_default_language=False,
)
