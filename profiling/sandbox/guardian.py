"""
The Guardian's content API, imitated: `GET /search?section=a|b&from-date=&page-size=&page=&show-fields=`.

The key is the `api-key` query parameter. Answers are laid out as samples/guardian-search.json;
a page past the last, a bad page size or a bad from-date answer 400 as the real paging errors
(samples/guardian-error.json), key errors as the API gateway's bare `{message}`.
"""

import math
from datetime import UTC, date, datetime
from functools import lru_cache

from articles.upstreams import guardian
from articles.upstreams.samples import load_sample

from .events import story_title
from .stories import LEFT_OUT, laid_out, merged, published_at, query_number, words, zulu

SOURCE = guardian.SOURCE
PATH = guardian.ENDPOINT
API_URL = "https://content.guardianapis.com"  # what real apiUrl fields point at
ANSWER = load_sample("guardian-search")
RESULT = merged(ANSWER["response"]["results"])
ERROR = load_sample("guardian-error")
GARBAGE_FIELDS = {"title": "webTitle", "url": "webUrl", "published": "webPublicationDate"}


def error(message):
    return laid_out(ERROR, {"response": {"status": "error", "message": message}})


MISSING_KEY = (401, {"message": "No API key found in request"})
FAULT_ANSWERS = {
    "401": (401, {"message": "Invalid authentication credentials"}),
    "429": (429, {"message": "API rate limit exceeded"}),
    "500": (500, error("Internal server error")),
}


def has_key(headers, params):
    return bool(params.get("api-key"))


def items_of(payload):
    return payload["response"]["results"]


# Stories are pure functions of their arguments; remembering them keeps the sandbox cheap under load,
# so that a benchmark measures the ingest and not the stand-in upstream (both share two cores).
@lru_cache(maxsize=100_000)
def story(section, index, spacing, revision):
    chosen = words("guardian", section, index)
    published = published_at(index, spacing)
    slug = "-".join(chosen) + f"-{index}"
    story_id = f"{section}/{published:%Y/%b/%d}".lower() + f"/{slug}"
    trail = f"<p>The {chosen[0]} &amp; the {chosen[1]}: what we know about {chosen[2]}&#x27;s {chosen[3]}"
    return laid_out(
        RESULT,
        {
            "id": story_id,
            "type": "article",
            "sectionId": section,
            "sectionName": section.replace("-", " ").title(),
            "webPublicationDate": zulu(published),
            "webTitle": story_title("guardian", section, index, revision),
            "webUrl": f"https://www.theguardian.com/{story_id}",
            "apiUrl": f"{API_URL}/{story_id}",
            "fields": {
                "trailText": trail,
                "byline": f"{chosen[4].title()} Correspondent" if index % 4 else LEFT_OUT,
                "thumbnail": f"https://media.guim.co.uk/{index:x}/0_0_1000_600/500.jpg" if index % 6 else LEFT_OUT,
            },
            "isHosted": False,
            "pillarId": "pillar/news",
            "pillarName": "News",
        },
    )


def answer(sandbox, params):
    """(status, payload) of one search: the requested sections' timelines merged, newest first."""
    requested = [s for s in params.get("section", "").split("|") if s] or list(guardian.SECTION_CATEGORIES)
    sections = [s for s in dict.fromkeys(requested) if s in guardian.SECTION_CATEGORIES]
    config = sandbox.config
    size = query_number(params.get("page-size"), 10)
    page = query_number(params.get("page"), 1)
    largest = config.guardian_max_page_size
    if not 1 <= size <= largest or page < 1:
        return 400, error(f"page-size must be an integer between 1 and {largest}, and page at least 1")
    newest = sandbox.newest_index()
    per_section = config.stories_per_feed
    if "from-date" in params:
        try:
            since = datetime.combine(date.fromisoformat(params["from-date"]), datetime.min.time(), UTC)
        except ValueError:
            return 400, error(f"Invalid from-date: {params['from-date']}")
        per_section = max(0, min(per_section, newest - math.ceil(since.timestamp() / config.spacing) + 1))
    total = per_section * len(sections)
    pages = math.ceil(total / size)
    if page > max(pages, 1):
        return 400, error(f"requested page is beyond the number of available pages, which is {pages}")
    first = (page - 1) * size
    # Every section has the same timeline, so the merged feed takes them in turn.
    results = [
        story(sections[i % len(sections)], newest - i // len(sections), config.spacing, config.revision)
        for i in range(first, min(first + size, total))
    ]
    envelope = {
        "status": "ok",
        "userTier": "developer",
        "total": total,
        "startIndex": first + 1 if results else 0,
        "pageSize": size,
        "currentPage": page,
        "pages": pages,
        "orderBy": "newest",
        "results": results,
    }
    return 200, laid_out(ANSWER, {"response": envelope})
