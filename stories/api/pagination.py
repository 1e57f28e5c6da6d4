"""The stories' pages, by limit and offset: counted exactly up to articles.counts.EXACT_UP_TO, estimated past it."""

from articles.api.parameters import BoundedCountPagination
from articles.counts import EXACT_UP_TO, bounded_count
from stories.selectors import TopFirst


class StoryPagination(BoundedCountPagination):
    count_help = "How many stories the list holds (see count_is_estimate)"
    estimate_help = (
        f"true when count is PostgreSQL's estimate (a list of more than {EXACT_UP_TO:,} stories); false when it "
        "is exact"
    )

    def paginate_queryset(self, queryset, request, view=None):
        self.request = request
        self.limit, self.offset = self.get_limit(request), self.get_offset(request)
        stories = queryset.stories if isinstance(queryset, TopFirst) else queryset
        self.count, self.count_is_estimate = bounded_count(stories)
        return self.page_by_offset(queryset)
