"""/api/stories/ and /api/stories/{id}/, included under /api/ by the root URLconf."""

from rest_framework.routers import SimpleRouter

from articles.api.urls import router as articles_router

from .views import StoryViewSet

router = SimpleRouter()
router.register("stories", StoryViewSet, basename="story")
urlpatterns = router.urls

# The page cache (articles/api/middleware.py, and wsgi.py before Django) learns which endpoints it serves from the
# articles API's router: registered there too, the stories get the same cache, ETag and invalidation. That router's
# own URLs were built when its module loaded, so this adds none to them.
articles_router.registry.append(("stories", StoryViewSet, "story"))
