from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path

from articles.models import Category
from articles.services.runs import IngestLocked

from .models import Feed
from .services.crawl import fetch_feeds
from .services.opml import MAX_OPML_BYTES, BadOpml, feeds_export, feeds_import

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


class OpmlImportForm(forms.Form):
    file = forms.FileField(label="OPML file", help_text=f"OPML 2.0, at most {MAX_OPML_BYTES // 2**20} MB.")
    category = forms.ChoiceField(
        choices=Category.choices, initial=Category.GENERAL, help_text="For the feeds whose outlines name none."
    )

    def clean_file(self):
        return self.cleaned_data["file"].read(MAX_OPML_BYTES + 1)  # feeds_import refuses a larger one


@admin.register(Feed)
class FeedAdmin(admin.ModelAdmin):
    list_display = ("title", "category", "format", "enabled", "last_status", "consecutive_errors", "last_error",
                    "last_fetched_at", "next_fetch_at")  # fmt: skip
    list_filter = (FailingFilter, "enabled", "category", "format")
    search_fields = ("title", "url", "site_url")
    readonly_fields = (*STATE, "format", "failing_since", "last_error", "created_at")
    actions = ("enable", "disable", "fetch_now", "export_opml")

    def get_urls(self):
        view = self.admin_site.admin_view(self.import_opml_view)
        return [path("import-opml/", view, name="feeds_feed_import_opml"), *super().get_urls()]

    def import_opml_view(self, request):
        """Subscribe to the feeds of an uploaded OPML file, as `manage.py import_opml` does."""
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = OpmlImportForm(request.POST or None, request.FILES or None)
        if form.is_valid():
            try:
                imported = feeds_import(form.cleaned_data["file"], default_category=form.cleaned_data["category"])
            except BadOpml as exc:
                form.add_error("file", str(exc))
            else:
                self.message_user(request, imported.sentence())
                return redirect("admin:feeds_feed_changelist")
        context = {**self.admin_site.each_context(request), "opts": self.opts, "form": form, "title": "Import OPML"}
        return TemplateResponse(request, "admin/feeds/feed/import_opml.html", context)

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
