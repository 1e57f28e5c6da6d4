from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from stories.views import front_page

from . import health

urlpatterns = [
    path("", front_page, name="front-page"),
    # The feeds' and the stories' APIs before the articles', whose last pattern answers every other /api/ address.
    path("api/feeds/", include("feeds.api.urls")),
    path("api/", include("stories.api.urls")),
    path("api/", include("articles.api.urls")),
    path("health/", health.live, name="health"),
    path("health/ready/", health.ready, name="health-ready"),
    path("admin/", admin.site.urls),
]

if settings.SILK_ENABLED:
    urlpatterns.append(path("silk/", include("silk.urls", namespace="silk")))

handler400 = "articles.api.errors.bad_request"
handler403 = "articles.api.errors.permission_denied"
handler404 = "articles.api.errors.not_found"
handler500 = "articles.api.errors.server_error"
