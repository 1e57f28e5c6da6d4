from django.urls import path

from .views import FeedListApi

urlpatterns = [path("", FeedListApi.as_view(), name="feed-list")]
