from django.urls import path, re_path

from newsproject.api.response_cache import cached_response

from .views import ArticleViewSet, CategoryListApi, SourceListApi

# The read endpoints, each behind the page cache (newsproject/api/response_cache.py).
urlpatterns = [
    path("articles/", cached_response(ArticleViewSet.as_view({"get": "list"})), name="article-list"),
    re_path(
        r"^articles/(?P<pk>[^/.]+)/$",
        cached_response(ArticleViewSet.as_view({"get": "retrieve"})),
        name="article-detail",
    ),
    path("sources/", cached_response(SourceListApi.as_view()), name="source-list"),
    path("categories/", cached_response(CategoryListApi.as_view()), name="category-list"),
]
