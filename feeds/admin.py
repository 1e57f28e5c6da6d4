from django.contrib import admin, messages
from django.db.models import Q
from django.http import HttpResponse

from articles.services.ingest import IngestLocked

from .models import Feed
from .services.crawl import fetch_feeds
from .services.opml import feeds_export

STATE = ("etag", "last_modified", "last_fetched_at", "next_fetch_at", "last_status", "consecutive_errors")


class FailingFilter(admin.SimpleListFilter):
    title = "state"
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return [("failing", "Failing"), ("disabled", "Disabled"), ("healthy", "Healthy")]

    def queryset(self, request, queryset):
        if self.value() == "failing":
            return queryset.filter(enabled=True, consecutive_errors__gt=0)
        if self.value() == "disabled":
            return queryset.filter(enabled=False)
        if self.value() == "healthy":
            return queryset.filter(Q(consecutive_errors=0), enabled=True)
        return queryset


@admin.register(Feed)
class FeedAdmin(admin.ModelAdmin):
    list_display = ("title", "category", "format", "enabled", "last_status", "consecutive_errors", "last_error",
                    "last_fetched_at", "next_fetch_at")  # fmt: skip
    list_filter = (FailingFilter, "enabled", "category", "format")
    search_fields = ("title", "url", "site_url")
    readonly_fields = (*STATE, "format", "failing_since", "last_error", "created_at")
    actions = ("enable", "disable", "fetch_now", "export_opml")

    @admin.action(description="Enable the selected feeds (due at once, errors forgotten)")
    def enable(self, request, queryset):
        count = queryset.update(enabled=True, next_fetch_at=None, consecutive_errors=0, failing_since=None)
        self.message_user(request, f"{count} feeds enabled.")

    @admin.action(description="Disable the selected feeds")
    def disable(self, request, queryset):
        count = queryset.update(enabled=False, last_error="Disabled in the admin.")
        self.message_user(request, f"{count} feeds disabled.")

    @admin.action(description="Fetch the selected feeds now")
    def fetch_now(self, request, queryset):
        try:
            result, counts = fetch_feeds(feeds=queryset.filter(enabled=True))
        except IngestLocked as exc:
            self.message_user(request, str(exc), messages.WARNING)
            return
        self.message_user(request, f"{counts.sentence()} {result.created} articles new, {result.updated} updated.")

    @admin.action(description="Export the selected feeds as OPML")
    def export_opml(self, request, queryset):
        response = HttpResponse(feeds_export(queryset.order_by("category", "title", "id")), content_type="text/x-opml")
        response["Content-Disposition"] = 'attachment; filename="feeds.opml"'
        return response
