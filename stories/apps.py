from django.apps import AppConfig
from django.db.models.signals import post_delete


class StoriesConfig(AppConfig):
    name = "stories"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from .receivers import recount_story_of_deleted_article

        post_delete.connect(recount_story_of_deleted_article, sender="articles.Article")
