from django.apps import AppConfig


class ArticlesConfig(AppConfig):
    name = "articles"

    def ready(self):
        from . import lookups  # noqa: F401 (registers the `__any` lookup)
