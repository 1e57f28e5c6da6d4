from django.contrib import admin

from .models import RUN_COUNTERS, Article, IngestRun
from .signals import send_articles_changed_on_commit


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    list_display = ["title", "source", "source_name", "category", "published_at"]
    list_filter = ["source", "category", "published_at"]
    search_fields = ["title"]
    date_hierarchy = "published_at"
    ordering = ["-published_at", "-id"]
    show_full_result_count = False
    # Upstream data: the next ingest would overwrite an edit, so the admin shows it read-only.
    readonly_fields = [field.name for field in Article._meta.fields if not field.primary_key]

    def has_add_permission(self, request):
        return False

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        send_articles_changed_on_commit()

    def delete_queryset(self, request, queryset):
        super().delete_queryset(request, queryset)
        send_articles_changed_on_commit()


@admin.register(IngestRun)
class IngestRunAdmin(admin.ModelAdmin):
    list_display = ["started_at", "source", "status", "dry_run", *RUN_COUNTERS, "seconds"]
    list_filter = ["source", "status", "dry_run", "started_at"]
    date_hierarchy = "started_at"

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in self.model._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
