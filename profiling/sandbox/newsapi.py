"""
NewsAPI, imitated: `GET /v2/top-headlines?category=&pageSize=&page=`.

The key is in X-Api-Key, `apiKey` or Authorization. Answers are laid out as
samples/newsapi-top-headlines.json, errors as samples/newsapi-error.json with the real codes;
past result `newsapi_max_results` (100) the answer is 426 `maximumResultsReached`, as on the free
developer plan. One story in five is a Guardian story (the same URL plus tracking parameters), as
NewsAPI carries the Guardian too; one in 23 is a "[Removed]" placeholder.
"""

from functools import lru_cache

from articles.models import Category
from articles.upstreams import guardian, newsapi
from articles.upstreams.samples import load_sample

from .events import story_title
from .guardian import story as guardian_story
from .stories import laid_out, merged, published_at, query_number, words, zulu

SOURCE = newsapi.SOURCE
PATH = newsapi.ENDPOINT
ANSWER = load_sample("newsapi-top-headlines")
ARTICLE = merged(ANSWER["articles"])
ERROR = load_sample("newsapi-error")
GARBAGE_FIELDS = {"title": "title", "url": "url", "published": "publishedAt"}
REMOVED = "[Removed]"  # what NewsAPI puts in every text field of an article taken down since
PUBLISHERS = (
    ("bbc-news", "BBC News", "www.bbc.co.uk"),
    ("reuters", "Reuters", "www.reuters.com"),
    ("techcrunch", "TechCrunch", "techcrunch.com"),
    (None, "The Example Times", "www.example-times.com"),
)


def error(code, message):
    return laid_out(ERROR, {"status": "error", "code": code, "message": message})


MISSING_KEY = (401, error("apiKeyMissing", "Your API key is missing."))
FAULT_ANSWERS = {
    "401": (401, error("apiKeyInvalid", "Your API key is invalid or incorrect. Check your key.")),
    "429": (429, error("rateLimited", "You have made too many requests recently.")),
    "500": (500, error("unexpectedError", "This shouldn't happen, and if it does then it's our fault.")),
}


def has_key(headers, params):
    return bool(headers.get("X-Api-Key") or params.get("apiKey") or headers.get("Authorization"))


def items_of(payload):
    return payload["articles"]


@lru_cache(maxsize=100_000)  # see guardian.story
def story(category, index, spacing, revision):
    if index % 23 == 0:
        return laid_out(
            ARTICLE,
            {
                "source": {"id": None, "name": REMOVED},
                "author": None,
                "title": REMOVED,
                "description": REMOVED,
                "url": "https://removed.com",
                "urlToImage": None,
                "publishedAt": "1970-01-01T00:00:00Z",
                "content": REMOVED,
            },
        )
    published = zulu(published_at(index, spacing))
    if index % 5 == 0:
        carried = guardian_story(guardian.sections_of(category)[0], index, spacing, revision)
        return laid_out(
            ARTICLE,
            {
                "source": {"id": "the-guardian-uk", "name": "The Guardian"},
                "author": carried["fields"].get("byline"),
                "title": f"{carried['webTitle']} - The Guardian",
                "description": carried["fields"]["trailText"],
                "url": f"{carried['webUrl']}?CMP=share_btn_url&utm_source=newsapi",
                "urlToImage": carried["fields"].get("thumbnail"),
                "publishedAt": published,
                "content": "Full text for subscribers… [+2310 chars]",
            },
        )
    chosen = words("newsapi", category, index)
    source_id, name, host = PUBLISHERS[index % len(PUBLISHERS)]
    url = f"https://{host}/{category}/{index}-{'-'.join(chosen)}"
    description = f"<p>{chosen[0].title()} news on {chosen[1]} &amp; {chosen[2]}.</p>"
    return laid_out(
        ARTICLE,
        {
            "source": {"id": source_id, "name": name},
            "author": None if index % 3 == 0 else f"{chosen[4].title()} Reporter",
            "title": f"{story_title('newsapi', category, index, revision)} - {name}",
            "description": None if index % 11 == 0 else description,
            "url": url + ("?utm_source=newsapi&utm_medium=rss" if index % 7 == 0 else ""),
            "urlToImage": None if index % 4 == 0 else f"https://{host}/images/{index}.jpg",
            "publishedAt": published,
            "content": f"{chosen[0].title()} … [+{1000 + index % 900} chars]",
        },
    )


def answer(sandbox, params):
    """(status, payload) of one page of a category's top headlines, newest first."""
    config = sandbox.config
    category = params.get("category", "general")
    size = min(query_number(params.get("pageSize"), 20), 100)
    page = query_number(params.get("page"), 1)
    if size < 1 or page < 1:
        return 400, error("parameterInvalid", "page and pageSize must be positive whole numbers.")
    cap = config.newsapi_max_results
    if cap is not None and (page - 1) * size + 1 > cap:
        return 426, error(
            "maximumResultsReached",
            f"You have requested too many results. Developer accounts are limited to a max of {cap} results. "
            f"You are trying to request results {(page - 1) * size} to {page * size}. "
            "Please upgrade to a paid plan if you need more results.",
        )
    total = config.stories_per_feed if category in Category.values else 0
    newest = sandbox.newest_index()
    first = (page - 1) * size
    articles = [
        story(category, newest - i, config.spacing, config.revision) for i in range(first, min(first + size, total))
    ]
    return 200, laid_out(ANSWER, {"status": "ok", "totalResults": total, "articles": articles})
