from django.contrib import admin
from django.contrib.admin.utils import flatten
from django.core.paginator import Paginator
from django.utils import timezone
from django.utils.dateformat import format as date_format
from django.utils.functional import cached_property
from django.utils.html import format_html_join
from django.utils.text import Truncator

from .counts import bounded_count
from .models import Article, IngestRun
from .signals import send_articles_changed_on_commit
from .templatetags.news_admin import status_badge


class BoundedCountPaginator(Paginator):
    """Pages of a list of millions, numbered without counting them all: exact up to a bound, estimated past it."""

    @cached_property
    def count(self):
        return bounded_count(self.object_list)[0]


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    paginator = BoundedCountPaginator
    list_display = ["title", "source", "source_name", "category", "published_at"]
    list_filter = ["source", "category", "published_at"]
    search_fields = ["title"]
    ordering = ["-published_at", "-id"]
    show_full_result_count = False

    # Upstream data: the next ingest would overwrite an edit, so the admin shows it and may delete it, nothing else.
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        send_articles_changed_on_commit()

    def delete_queryset(self, request, queryset):
        super().delete_queryset(request, queryset)
        send_articles_changed_on_commit()


ARTICLE_COUNTS = ("created", "updated", "unchanged", "skipped")


@admin.register(IngestRun)
class IngestRunAdmin(admin.ModelAdmin):
    list_display = ["started", "source", "status_shown", "articles", "requests", "seconds_shown", "summary"]
    list_filter = ["source", "status", "dry_run", "started_at"]
    date_hierarchy = "started_at"
    fields = [
        ("source", "status_shown"),
        ("started_at", "finished_at", "seconds_shown"),
        "requests_made",
        ("fetched", "created", "updated", "unchanged", "skipped"),
        "categories_shown",
        "message",
    ]

    class Media:
        css = {"all": ["articles/admin.css"]}

    def get_readonly_fields(self, request, obj=None):
        return flatten(self.fields)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(description="status", ordering="status")
    def status_shown(self, run):
        return status_badge(run)

    @admin.display(description="started", ordering="started_at")
    def started(self, run):
        return date_format(timezone.localtime(run.started_at), "j M H:i")

    @admin.display(description="articles")
    def articles(self, run):
        """The counts together, those that are not 0, each kept on one line."""
        counts = [(getattr(run, name), name) for name in ARTICLE_COUNTS if getattr(run, name)]
        counts.insert(0, (run.fetched, "fetched"))
        return format_html_join(", ", '<span class="count">{} {}</span>', counts)

    @admin.display(description="requests", ordering="requests_made")
    def requests(self, run):
        return run.requests_made

    @admin.display(description="seconds")
    def seconds_shown(self, run):
        return "-" if run.seconds is None else f"{run.seconds:.1f}"

    @admin.display(description="message")
    def summary(self, run):
        return Truncator(run.message).chars(60)

    @admin.display(description="categories fetched to the end")
    def categories_shown(self, run):
        return ", ".join(run.categories) or "none"
