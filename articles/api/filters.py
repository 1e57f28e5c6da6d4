from datetime import UTC

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django_filters.fields import BaseCSVField, IsoDateTimeField
from drf_spectacular.utils import extend_schema_field

from articles.models import SOURCE_CHOICES, Article, Category
from articles.selectors import article_search, best_matches
from stories.selectors import story_leads

SEARCH_MAX_CHARACTERS = 256
SEARCH_MAX_WORDS = 32
SEARCH_HELP = (
    f"Full-text search over title and description: at most {SEARCH_MAX_CHARACTERS} characters "
    f"and {SEARCH_MAX_WORDS} words"
)
PUBLISHER_HELP = (
    "One or more publishers (source_name, as /api/sources/ lists them), comma-separated; "
    "a name that holds a comma cannot be given"
)
ORDERINGS = {"-published_at": ("-published_at", "-id"), "published_at": ("published_at", "id")}
# What a generated client calls each ordering (x-enum-varnames), rather than VALUE_0 and VALUE_1.
ORDERING_NAMES = {"-published_at": "NEWEST_FIRST", "published_at": "OLDEST_FIRST"}
ORDERING_HELP = "published_at or -published_at (default: newest first, or best match first with q)"


def one_of(name, values):
    return {"invalid_choice": f"Unknown {name} %(value)r; use one of: {', '.join(values)}."}


DATE_ERROR = {"invalid": "Must be an ISO 8601 date or time, such as 2026-11-23 or 2026-11-23T08:00:00Z."}


class UtcDateTimeField(IsoDateTimeField):
    """An ISO 8601 time, in UTC; one that has no UTC equivalent (9999-12-31T23:59-01:00) is invalid, not a 500."""

    def to_python(self, value):
        moment = super().to_python(value)
        try:
            return moment.astimezone(UTC) if moment is not None else None
        except OverflowError:
            raise ValidationError(self.error_messages["invalid"], code="invalid") from None


@extend_schema_field(
    {
        "anyOf": [{"type": "string", "format": "date-time"}, {"type": "string", "format": "date"}],
        "description": "ISO 8601, inclusive: a time (2026-11-23T08:00:00Z) or a date (2026-11-23: midnight UTC)",
    }
)
class UtcDateTimeFilter(django_filters.IsoDateTimeFilter):
    field_class = UtcDateTimeField


class SearchTextField(forms.CharField):
    """Words to search for, within bounds that keep PostgreSQL's query parser and the ranking cheap."""

    def __init__(self, *, max_length, **kwargs):
        super().__init__(max_length=max_length, **kwargs)
        self.validators = [validate_search_text]  # instead of Django's max_length message, ours


def validate_search_text(value):
    if "\x00" in value:  # PostgreSQL's text cannot hold it: the query would fail
        raise ValidationError("Must not contain a NUL character.", code="nul")
    if len(value) > SEARCH_MAX_CHARACTERS:
        raise ValidationError(f"At most {SEARCH_MAX_CHARACTERS} characters, not {len(value)}.", code="max_length")
    if len(value.split()) > SEARCH_MAX_WORDS:
        raise ValidationError(f"At most {SEARCH_MAX_WORDS} words, not {len(value.split())}.", code="max_words")


@extend_schema_field(
    {
        "type": "string",
        "minLength": 1,
        "maxLength": SEARCH_MAX_CHARACTERS,
        # Not blank, at most SEARCH_MAX_WORDS words (runs of anything but white space), and no NUL.
        "pattern": rf"^\s*[^\s\x00]+(\s+[^\s\x00]+){{0,{SEARCH_MAX_WORDS - 1}}}\s*$",
        "description": SEARCH_HELP,
    }
)
class SearchTextFilter(django_filters.CharFilter):
    field_class = SearchTextField


@extend_schema_field(
    {
        "type": "string",
        "enum": list(ORDERINGS),
        "x-enum-varnames": [ORDERING_NAMES[value] for value in ORDERINGS],
        "description": ORDERING_HELP,
    }
)
class OrderingChoiceFilter(django_filters.ChoiceFilter):
    pass


class StrictCSVField(BaseCSVField):
    """Comma-separated values, none of them empty (`a,,b` is a mistake, not `a,b`)."""

    def clean(self, value):
        if value is not None and any(not item.strip() for item in value):
            raise ValidationError("A value in the list is empty: separate the values with single commas.", code="empty")
        return super().clean(value)


class ChoiceInFilter(django_filters.BaseInFilter, django_filters.ChoiceFilter):
    base_field_class = StrictCSVField


PUBLISHER_MAX_LENGTH = Article._meta.get_field("source_name").max_length


@extend_schema_field(
    {
        "type": "string",
        "minLength": 1,
        "maxLength": PUBLISHER_MAX_LENGTH,
        "pattern": r"^[^,\x00]*[^,\x00\s][^,\x00]*$",  # not blank; no comma (the separator) and no NUL
        "description": f"{PUBLISHER_HELP}. publisher: only theirs; exclude_publisher: all but theirs",
    }
)
class PublisherInFilter(django_filters.BaseInFilter, django_filters.CharFilter):
    """Publishers' names (source_name) as /api/sources/ lists them, comma-separated."""

    base_field_class = StrictCSVField

    def __init__(self, **kwargs):
        super().__init__(field_name="source_name", max_length=PUBLISHER_MAX_LENGTH, **kwargs)


MAX_ID = 2**63 - 1  # PostgreSQL's bigint: a larger number would fail the query


class IdField(forms.IntegerField):
    def to_python(self, value):
        if value not in self.empty_values and not str(value).isascii():  # int() also reads other scripts' digits
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        return super().to_python(value)


@extend_schema_field(
    {
        "type": "integer",
        "minimum": 0,
        "maximum": MAX_ID,
        "description": "Only the articles added after the article of this id (ids grow as articles are added), "
        "whenever they were published: what is new since a client's last read",
    }
)
class SinceIdFilter(django_filters.NumberFilter):
    field_class = IdField

    def __init__(self, **kwargs):
        messages = {"invalid": "Must be an article's id, a whole number.", "max_value": f"At most {MAX_ID}."}
        super().__init__(field_name="id", lookup_expr="gt", min_value=0, max_value=MAX_ID, error_messages=messages)


@extend_schema_field(
    {"type": "integer", "minimum": 1, "maximum": MAX_ID, "description": "Only the articles of this story"}
)
class StoryFilter(django_filters.NumberFilter):
    field_class = IdField

    def __init__(self, **kwargs):
        messages = {"invalid": "Must be a story's id, a whole number.", "max_value": f"At most {MAX_ID}."}
        super().__init__(field_name="story_id", min_value=1, max_value=MAX_ID, error_messages=messages)


@extend_schema_field(
    {
        "type": "integer",
        "minimum": 1,
        "maximum": MAX_ID,
        "description": "Only the articles of this feed (GET /api/feeds/)",
    }
)
class FeedFilter(django_filters.NumberFilter):
    field_class = IdField

    def __init__(self, **kwargs):
        messages = {"invalid": "Must be a feed's id, a whole number.", "max_value": f"At most {MAX_ID}."}
        super().__init__(field_name="feed_id", min_value=1, max_value=MAX_ID, error_messages=messages)


class ArticleFilterSet(django_filters.FilterSet):
    category = ChoiceInFilter(
        choices=Category.choices,
        error_messages=one_of("category", Category.values),
        help_text="One or more categories, comma-separated: business,technology",
    )
    source = ChoiceInFilter(
        choices=SOURCE_CHOICES,
        error_messages=one_of("source", [value for value, _ in SOURCE_CHOICES]),
        help_text="One or more sources, comma-separated: newsapi,guardian,feeds",
    )
    publisher = PublisherInFilter()
    exclude_publisher = PublisherInFilter(exclude=True)
    since_id = SinceIdFilter()
    story = StoryFilter()
    feed = FeedFilter()
    q = SearchTextFilter(
        method="search",
        max_length=SEARCH_MAX_CHARACTERS,
        label=SEARCH_HELP,
    )
    collapse = django_filters.ChoiceFilter(
        choices=[("story", "story")],
        method="collapse_stories",
        error_messages=one_of("collapse", ["story"]),
        help_text="story: one article per story, its lead (its first), with related_count: how many other "
        "articles the story holds",
    )
    published_after = UtcDateTimeFilter(field_name="published_at", lookup_expr="gte", error_messages=DATE_ERROR)
    published_before = UtcDateTimeFilter(field_name="published_at", lookup_expr="lte", error_messages=DATE_ERROR)
    ordering = OrderingChoiceFilter(
        choices=[(value, value) for value in ORDERINGS],
        method="order",
        error_messages=one_of("ordering", list(ORDERINGS)),
        label=ORDERING_HELP,
    )

    def search(self, queryset, name, value):
        return article_search(queryset, value.strip()) if value.strip() else queryset

    def filter_queryset(self, queryset):
        """With q, and without ordering or cursor (which page by time: articles/api/pagination.py), the best matches
        first: ranked once every filter has narrowed the matches."""
        queryset = super().filter_queryset(queryset)
        text = (self.form.cleaned_data.get("q") or "").strip()
        if text and not {"ordering", "cursor"} & set(self.data):
            return best_matches(queryset, text)
        return queryset

    def collapse_stories(self, queryset, name, value):
        return story_leads(queryset)

    def order(self, queryset, name, value):
        return queryset.order_by(*ORDERINGS[value])
