from django.urls import path
from rest_framework.routers import SimpleRouter

from .views import ArticleViewSet, CategoryListApi, SourceListApi

router = SimpleRouter()
router.register("articles", ArticleViewSet, basename="article")

urlpatterns = [
    *router.urls,
    path("sources/", SourceListApi.as_view(), name="source-list"),
    path("categories/", CategoryListApi.as_view(), name="category-list"),
]
