from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save


class ApiConfig(AppConfig):
    name = "articles.api"
    label = "api"

    def ready(self):
        from rest_framework_api_key.models import APIKey

        from articles.signals import articles_changed

        from . import receivers

        for signal in (post_save, post_delete):
            signal.connect(receivers.key_changed, sender=APIKey)
        articles_changed.connect(receivers.articles_changed)
