from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save


class ApiConfig(AppConfig):
    name = "newsproject.api"
    label = "api"

    def ready(self):
        from rest_framework_api_key.models import APIKey

        from articles.models import Article

        from . import receivers

        for signal in (post_save, post_delete):
            signal.connect(receivers.key_changed, sender=APIKey)
            signal.connect(receivers.article_changed, sender=Article)
