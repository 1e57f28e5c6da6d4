import django_filters
from drf_spectacular.utils import extend_schema_field

from articles.api.filters import (
    DATE_ERROR,
    SEARCH_HELP,
    SEARCH_MAX_CHARACTERS,
    SearchTextFilter,
    UtcDateTimeFilter,
    one_of,
)
from articles.models import Category
from stories.selectors import NEWEST, TopFirst, story_search

ORDERINGS = {"top": None, "-last_published_at": NEWEST}  # top: TopFirst
MAX_PUBLISHERS = 10_000


@extend_schema_field({"type": "integer", "minimum": 1, "maximum": MAX_PUBLISHERS})
class PublisherCountFilter(django_filters.NumberFilter):
    """A whole number of publishers, its bounds declared in the schema as the form field enforces them."""


class StoryFilterSet(django_filters.FilterSet):
    category = django_filters.ChoiceFilter(choices=Category.choices, error_messages=one_of("category", Category.values))
    q = SearchTextFilter(
        method="search", max_length=SEARCH_MAX_CHARACTERS, label=f"{SEARCH_HELP}, in the stories' articles"
    )
    published_after = UtcDateTimeFilter(
        field_name="last_published_at", lookup_expr="gte", error_messages=DATE_ERROR, label="an article at or after"
    )
    published_before = UtcDateTimeFilter(
        field_name="first_published_at", lookup_expr="lte", error_messages=DATE_ERROR, label="an article at or before"
    )
    min_publishers = PublisherCountFilter(
        field_name="publisher_count",
        lookup_expr="gte",
        min_value=1,
        max_value=MAX_PUBLISHERS,
        label="at least this many distinct publishers (1 to 10000)",
    )
    ordering = django_filters.ChoiceFilter(
        choices=[(value, value) for value in ORDERINGS],
        method="order",
        error_messages=one_of("ordering", list(ORDERINGS)),
        label="top (default: the window's stories first, most publishers first) or -last_published_at",
    )

    def search(self, queryset, name, value):
        return story_search(queryset, value.strip()) if value.strip() else queryset

    def order(self, queryset, name, value):
        return queryset.order_by(*ORDERINGS[value]) if ORDERINGS[value] else queryset

    def filter_queryset(self, queryset):
        """Top stories first (TopFirst) unless another ordering is asked for, once every filter has narrowed them."""
        queryset = super().filter_queryset(queryset)
        if ORDERINGS[self.form.cleaned_data.get("ordering") or "top"] is None:
            return TopFirst(queryset)
        return queryset
