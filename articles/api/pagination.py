"""
The articles' pages: by cursor, which stays put while articles arrive, or by offset, as before.

A page asked without `offset` (and without `q`, whose best-match order has no such
position) links its neighbours by `cursor`: an article's place in the list's time order,
(published_at, id), and a direction (after it, or before it). With a cursor the pages go
by time (`ordering`), `q` or not. A cursor's page holds the
`limit` articles just after (or before) that place, found by comparing keys rather than
by counting rows, so articles arriving meanwhile shift nothing: none is shown twice or
skipped. `offset` with a cursor skips that many more. A page asked with `offset` links
by offset, as it always has.

A cursor is opaque to clients: give back what a `next` or `previous` link holds. The
schema declares its pattern, and every value of that pattern is a place, so that no
well-formed cursor is refused.
"""

import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from django.db.models import Q
from rest_framework.exceptions import ValidationError
from rest_framework.utils.urls import remove_query_param, replace_query_param

from articles.counts import EXACT_UP_TO, article_count
from articles.selectors import MATCHES_FOUND

from .parameters import BoundedCountPagination, check_given_once

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
MICROSECOND = timedelta(microseconds=1)
CURSOR_PATTERN = r"^[ab]-?[0-9]{1,16}\.[0-9]{1,18}$"
CURSOR_HELP = (
    "Where a page starts: give back the one in a page's next or previous link (pages by cursor stay put while "
    "articles arrive). A cursor's pages go by time (ordering), with q too."
)

OFFSET_TOO_DEEP = (
    "At most {maximum:,}, not {offset}: to go further, page by cursor (leave offset out and follow each page's "
    "next link)."
)


@dataclass(frozen=True)
class Cursor:
    """A place in the list: just after the article (published_at, id), or just before it."""

    before: bool
    published_at: datetime
    id: int

    @classmethod
    def of(cls, article, *, before):
        return cls(before, article["published_at"], article["id"])

    def encode(self):
        micros = (self.published_at - EPOCH) // MICROSECOND
        return f"{'b' if self.before else 'a'}{micros}.{self.id}"

    @classmethod
    def decode(cls, text):
        if not re.fullmatch(CURSOR_PATTERN, text):
            raise ValueError(text)
        micros, _, article_id = text[1:].partition(".")
        return cls(text[0] == "b", EPOCH + int(micros) * MICROSECOND, int(article_id))

    def beyond(self, descending):
        """The articles on this cursor's side of its place, in a list ordered newest first (`descending`) or not."""
        later = self.before == descending
        # The bound on published_at alone is redundant, but lets an index start the scan at the place: PostgreSQL
        # reads the OR of the two as a filter on every row, not as where to start.
        moment = self.published_at
        if later:
            return Q(published_at__gte=moment) & (Q(published_at__gt=moment) | Q(published_at=moment, id__gt=self.id))
        return Q(published_at__lte=moment) & (Q(published_at__lt=moment) | Q(published_at=moment, id__lt=self.id))


class ArticlePagination(BoundedCountPagination):
    cursor_query_param = "cursor"
    count_help = "How many articles the list holds (see count_is_estimate)"
    estimate_help = (
        f"true when count is PostgreSQL's estimate (a list of more than {EXACT_UP_TO:,} articles filtered by more "
        "than category, source and publisher); false when it is exact"
    )
    max_offset = 10_000  # deeper, PostgreSQL would read every row skipped: the cursor reads only the page

    def query_parameters(self):
        return (*super().query_parameters(), self.cursor_query_param)

    def parameter_checks(self):
        return (*super().parameter_checks(), self.get_cursor)

    def get_cursor(self, request):
        check_given_once(request, self.cursor_query_param)
        raw = request.query_params.get(self.cursor_query_param)
        try:
            return None if raw is None else Cursor.decode(raw)
        except ValueError:
            message = "Not a cursor of this API: give back the one a page's next or previous link holds."
            raise ValidationError({self.cursor_query_param: [message]}) from None

    def get_offset(self, request):
        check_given_once(request, self.offset_query_param)
        try:
            return super().get_offset(request)
        except ValidationError:
            raw = request.query_params[self.offset_query_param]
            if raw.isascii() and raw.isdigit():  # a whole number, past the bound
                message = OFFSET_TOO_DEEP.format(maximum=self.max_offset, offset=raw)
                raise ValidationError({self.offset_query_param: [message]}) from None
            raise

    def get_count(self, queryset):
        count, self.count_is_estimate = article_count(queryset, self.filters)
        return count

    def paginate_queryset(self, queryset, request, view=None):
        self.cursor = self.get_cursor(request)
        self.filters = getattr(view, "list_filters", {})
        params = request.query_params
        ranked = "q" in params and "ordering" not in params
        self.by_cursor = self.cursor is not None or not (self.offset_query_param in params or ranked)
        self.request = request
        self.limit, self.offset = self.get_limit(request), self.get_offset(request)
        counted_by_rows = MATCHES_FOUND in queryset.query.annotations  # best match first: the rows say their count
        if not counted_by_rows:
            self.count = self.get_count(queryset)
        if not self.by_cursor:
            rows = self.page_by_offset(queryset)
            if counted_by_rows:
                self.count, self.count_is_estimate = self.matches_found(queryset, rows), False
            return rows
        descending = params.get("ordering", "-published_at") == "-published_at"
        backwards = self.cursor is not None and self.cursor.before
        order = ("-published_at", "-id") if descending != backwards else ("published_at", "id")
        if self.cursor is not None:
            queryset = queryset.filter(self.cursor.beyond(descending))
        rows = list(queryset.order_by(*order)[self.offset : self.offset + self.limit + 1])
        more, rows = len(rows) > self.limit, rows[: self.limit]
        if backwards:
            rows.reverse()
        self.neighbours = self.cursors_around(rows, more, backwards)
        return rows

    def matches_found(self, queryset, rows):
        """How many matches a ranked search found (at most selectors.RANKED_MATCHES): what its page's rows say,
        or, past the last page, counted."""
        if rows:
            return rows[0][MATCHES_FOUND]
        return queryset.count() if self.offset else 0

    def cursors_around(self, rows, more, backwards):
        """(next, previous): each a Cursor, None for none, or "" for the first page."""
        if not rows:
            return ("" if backwards else None), None
        after, before = Cursor.of(rows[-1], before=False), Cursor.of(rows[0], before=True)
        if backwards:
            return after, (before if more else None)
        return (after if more else None), (before if self.cursor is not None or self.offset else None)

    def get_next_link(self):
        return self.cursor_link(self.neighbours[0]) if self.by_cursor else super().get_next_link()

    def get_previous_link(self):
        return self.cursor_link(self.neighbours[1]) if self.by_cursor else super().get_previous_link()

    def cursor_link(self, cursor):
        if cursor is None:
            return None
        url = remove_query_param(self.request.build_absolute_uri(), self.offset_query_param)
        if cursor == "":
            return remove_query_param(url, self.cursor_query_param)
        return replace_query_param(url, self.cursor_query_param, cursor.encode())

    def get_schema_operation_parameters(self, view):
        cursor = {
            "name": self.cursor_query_param,
            "required": False,
            "in": "query",
            "description": CURSOR_HELP,
            "schema": {"type": "string", "pattern": CURSOR_PATTERN},
        }
        return [*super().get_schema_operation_parameters(view), cursor]
