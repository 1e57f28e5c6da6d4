"""Stories in the admin: browse them with their articles; merge stories, or move articles out of theirs.

An operator's decision marks the story `manual`: the grouping never adds an article to it, merges it or takes
one from it, in an ingest or in `cluster_stories --rebuild`; its later coverage starts a story of its own."""

from django.contrib import admin, messages

from articles.models import Article

from .models import Story
from .services import GroupingBusy, articles_move_out, stories_merge


class StoryArticleInline(admin.TabularInline):
    model = Article
    fields = ["title", "source_name", "published_at"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True
    ordering = ["-published_at", "-id"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Story)
class StoryAdmin(admin.ModelAdmin):
    list_display = ["title", "category", "article_count", "publisher_count", "last_published_at", "manual"]
    list_filter = ["category", "manual", "last_published_at"]
    search_fields = ["title"]
    date_hierarchy = "last_published_at"
    show_full_result_count = False
    inlines = [StoryArticleInline]
    actions = ["merge"]
    readonly_fields = [field.name for field in Story._meta.fields if not field.primary_key]

    def has_add_permission(self, request):
        return False

    @admin.action(description="Merge the selected stories into one")
    def merge(self, request, queryset):
        if queryset.count() < 2:
            self.message_user(request, "Select two stories or more to merge.", messages.WARNING)
            return
        try:
            kept = stories_merge(stories=list(queryset))
        except GroupingBusy as exc:
            self.message_user(request, str(exc), messages.ERROR)
            return
        self.message_user(request, f"Merged into “{kept}”: it keeps its articles through ingests and rebuilds.")


class StoryArticle(Article):
    """The articles, as the stories app shows them: with their story, to move them out of it."""

    class Meta:
        proxy = True
        verbose_name = "article of a story"
        verbose_name_plural = "articles of stories"


@admin.register(StoryArticle)
class StoryArticleAdmin(admin.ModelAdmin):
    list_display = ["title", "source_name", "story", "published_at"]
    list_select_related = ["story"]
    search_fields = ["title"]
    date_hierarchy = "published_at"
    show_full_result_count = False
    actions = ["move_out"]
    readonly_fields = [field.name for field in Article._meta.fields if not field.primary_key]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description="Move the selected articles out of their stories, each into one of its own")
    def move_out(self, request, queryset):
        try:
            articles_move_out(articles=list(queryset))
        except GroupingBusy as exc:
            self.message_user(request, str(exc), messages.ERROR)
            return
        self.message_user(request, f"Moved {queryset.count()} articles out: each keeps its own story.")
