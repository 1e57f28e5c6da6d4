# ruff: noqa: RUF001 (the recorded answers carry typographic quotes and dashes, as real ones do)
from dataclasses import asdict
from datetime import UTC, datetime

import pytest

from articles.models import Category
from articles.upstreams import guardian, newsapi
from articles.upstreams.base import error_message
from articles.upstreams.items import ItemSkipped, Page
from articles.upstreams.samples import load_sample

NEWSAPI_ITEM = {
    "source": {"id": "bbc-news", "name": "BBC News"},
    "author": "A Reporter",
    "title": "Markets rally &amp; recover - BBC News",
    "description": "<p>Shares <b>rose</b> on Monday&#x27;s news.</p>",
    "url": "https://www.bbc.co.uk/news/business-1?utm_source=newsapi&utm_medium=rss&id=7#top",
    "urlToImage": "https://ichef.bbci.co.uk/1.jpg",
    "publishedAt": "2026-11-23T09:30:00Z",
    "content": "Shares rose … [+1200 chars]",
}

GUARDIAN_ITEM = {
    "id": "sport/2026/nov/23/derby-report",
    "type": "article",
    "sectionId": "football",
    "sectionName": "Football",
    "webPublicationDate": "2026-11-23T10:00:00Z",
    "webTitle": "Derby report",
    "webUrl": "https://www.theguardian.com/sport/2026/nov/23/derby-report?CMP=share_btn_url",
    "apiUrl": "https://content.guardianapis.com/sport/2026/nov/23/derby-report",
    "fields": {
        "trailText": "<p>A late goal &amp; a red card</p>",
        "byline": "Sports Desk",
        "thumbnail": "https://media.guim.co.uk/1/500.jpg",
    },
}


def test_it_normalises_a_newsapi_article():
    article = newsapi.normalise(NEWSAPI_ITEM, category=Category.BUSINESS)

    assert article.url == "https://www.bbc.co.uk/news/business-1?id=7"
    assert article.source == "newsapi"
    assert article.source_name == "BBC News"
    assert article.external_id == ""
    assert article.title == "Markets rally & recover"
    assert article.description == "Shares rose on Monday's news."
    assert article.author == "A Reporter"
    assert article.image_url == "https://ichef.bbci.co.uk/1.jpg"
    assert article.category == "business"
    assert article.published_at == datetime(2026, 11, 23, 9, 30, tzinfo=UTC)


@pytest.mark.parametrize(
    "change",
    [
        {"title": "[Removed]"},
        {"source": {"id": None, "name": "[Removed]"}},
        {"url": None},
        {"url": "not a url"},
        {"url": "ftp://example.com/a"},
        {"title": None},
        {"title": "   "},
        {"publishedAt": "yesterday"},
        {"publishedAt": None},
    ],
)
def test_it_skips_newsapi_items_it_cannot_store(change):
    with pytest.raises(ItemSkipped):
        newsapi.normalise({**NEWSAPI_ITEM, **change}, category=Category.BUSINESS)


def test_it_accepts_newsapi_items_without_optional_fields():
    item = {**NEWSAPI_ITEM, "author": None, "description": None, "urlToImage": None, "source": None}

    article = newsapi.normalise(item, category=Category.SCIENCE)

    assert (article.author, article.description, article.image_url, article.source_name) == ("", "", "", "")
    assert article.title == "Markets rally & recover - BBC News"


def test_it_normalises_a_guardian_result():
    article = guardian.normalise(GUARDIAN_ITEM, category=Category.SPORTS)

    assert article.url == "https://www.theguardian.com/sport/2026/nov/23/derby-report"
    assert article.source == "guardian"
    assert article.source_name == "The Guardian"
    assert article.external_id == "sport/2026/nov/23/derby-report"
    assert article.title == "Derby report"
    assert article.description == "A late goal & a red card"
    assert article.author == "Sports Desk"
    assert article.image_url == "https://media.guim.co.uk/1/500.jpg"
    assert article.category == "sports"
    assert article.published_at == datetime(2026, 11, 23, 10, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("section", "category"),
    [
        ("sport", "sports"),
        ("film", "entertainment"),
        ("music", "entertainment"),
        ("books", "entertainment"),
        ("culture", "entertainment"),
        ("money", "business"),
        ("environment", "science"),
        ("society", "health"),
        ("world", "general"),
        ("technology", "technology"),
    ],
)
def test_it_maps_guardian_sections_onto_the_categories(section, category):
    assert guardian.normalise({**GUARDIAN_ITEM, "sectionId": section}, category="general").category == category


def test_it_keeps_the_queried_category_for_an_unmapped_section():
    assert guardian.normalise({**GUARDIAN_ITEM, "sectionId": "crosswords"}, category="science").category == "science"


def test_every_category_has_guardian_sections():
    assert all(guardian.sections_of(category) for category in Category.values)


@pytest.mark.parametrize("change", [{"webUrl": None}, {"webTitle": ""}, {"webPublicationDate": "soon"}])
def test_it_skips_guardian_results_it_cannot_store(change):
    with pytest.raises(ItemSkipped):
        guardian.normalise({**GUARDIAN_ITEM, **change}, category=Category.SPORTS)


def test_it_accepts_guardian_results_without_fields():
    article = guardian.normalise({**GUARDIAN_ITEM, "fields": None}, category=Category.SPORTS)

    assert (article.description, article.author, article.image_url) == ("", "", "")


# The recorded answers (articles/upstreams/samples/): every item, normalised field by field.
NEWSAPI_SAMPLE_ARTICLES = [
    {
        "url": "https://www.theverge.com/2026/11/23/24312345/google-pixel-update-battery-drain-fix",
        "source": "newsapi",
        "source_name": "The Verge",
        "external_id": "",
        "title": "Google rolls out its new Pixel update & a fix for the battery drain",
        "description": "Google’s latest Pixel update fixes the battery drain some owners reported after last month’s "
        "release.",
        "author": "Emma Roth",
        "image_url": "https://cdn.vox-cdn.com/thumbor/a1b2c3=/0x0:2040x1360/1200x628/filters:focal(1020x680:1021x681)"
        "/cdn.vox-cdn.com/uploads/chorus_asset/file/25112233/pixel.jpg",
        "category": "technology",
        "published_at": datetime(2026, 11, 23, 14, 5, 31, tzinfo=UTC),
    },
    {
        "url": "https://gizmodo.com/best-budget-laptops-students-2000512345",
        "source": "newsapi",
        "source_name": "Gizmodo.com",
        "external_id": "",
        # The suffix names the publisher otherwise than its source field does, so it stays.
        "title": "The Best Budget Laptops for Students Right Now - Gizmodo",
        "description": "",
        "author": "",
        "image_url": "",
        "category": "technology",
        "published_at": datetime(2026, 11, 23, 13, 30, tzinfo=UTC),
    },
    None,  # [Removed]
    {
        "url": "https://www.theguardian.com/technology/2026/nov/23/uk-regulator-inquiry-cloud-computing-market",
        "source": "newsapi",
        "source_name": "The Guardian",
        "external_id": "",
        "title": "UK regulator opens inquiry into cloud computing market",
        "description": "Ofcom says three providers hold 70% of the market – and that customers find it ‘too hard’ "
        "to switch",
        "author": "Alex Hern",
        "image_url": "https://i.guim.co.uk/img/media/6f1e2d3c4b5a69788796a5b4c3d2e1f0a9b8c7d6/0_0_5000_3000/master/5000.jpg"
        "?width=1200&height=630&quality=85&auto=format&fit=crop&s=0a1b2c3d4e5f",
        "category": "technology",
        "published_at": datetime(2026, 11, 23, 12, 47, 9, 123000, tzinfo=UTC),
    },
    {
        "url": "https://techcrunch.com/2026/11/23/openais-new-model-can-watch-a-video/",
        "source": "newsapi",
        "source_name": "TechCrunch",
        "external_id": "",
        "title": "OpenAI's new model can watch a video and tell you what happened",
        "description": "The model, released to developers on Monday, answers questions about clips up to an hour long.",
        "author": "Kyle Wiggers, Devin Coldewey",
        "image_url": "https://techcrunch.com/wp-content/uploads/2026/11/GettyImages-1234567890.jpg?resize=1200%2C800",
        "category": "technology",
        "published_at": datetime(2026, 11, 23, 11, 0, tzinfo=UTC),
    },
]

GUARDIAN_SAMPLE_RESULTS = [
    {
        "url": "https://www.theguardian.com/film/2026/nov/23/wicked-for-good-review",
        "source": "guardian",
        "source_name": "The Guardian",
        "external_id": "film/2026/nov/23/wicked-for-good-review",
        "title": "Wicked: For Good review – a dazzling, overstuffed finale",
        "description": "Cynthia Erivo & Ariana Grande return for the second half of the musical, which can't quite "
        "decide what it wants to be",
        "author": "Peter Bradshaw",
        "image_url": "https://media.guim.co.uk/3f5b2a1c0d9e8f7a6b5c4d3e2f1a0b9c8d7e6f5a/0_0_3000_1800/500.jpg",
        "category": "entertainment",
        "published_at": datetime(2026, 11, 23, 15, 0, 12, tzinfo=UTC),
    },
    {
        "url": "https://www.theguardian.com/music/gallery/2026/nov/23/the-week-in-music-pictures",
        "source": "guardian",
        "source_name": "The Guardian",
        "external_id": "music/gallery/2026/nov/23/the-week-in-music-pictures",
        "title": "The week in music – in pictures",
        "description": "From a rooftop show in Lagos to a farewell tour in Glasgow: the week’s best music photography",
        "author": "",
        "image_url": "https://media.guim.co.uk/9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c4d3e2f1a0b/0_0_4000_2400/500.jpg",
        "category": "entertainment",
        "published_at": datetime(2026, 11, 23, 14, 21, 40, tzinfo=UTC),
    },
    {
        "url": "https://www.theguardian.com/books/2026/nov/23/best-books-of-the-year",
        "source": "guardian",
        "source_name": "The Guardian",
        "external_id": "books/2026/nov/23/best-books-of-the-year",
        "title": "The best books of the year, chosen by our writers",
        "description": "Novels, memoirs and a history of salt: what our critics loved in 2026",
        "author": "Guardian staff",
        "image_url": "",
        "category": "entertainment",
        "published_at": datetime(2026, 11, 23, 12, 0, tzinfo=UTC),
    },
    {
        "url": "https://www.theguardian.com/stage/2026/nov/23/corrections-and-clarifications",
        "source": "guardian",
        "source_name": "The Guardian",
        "external_id": "stage/2026/nov/23/corrections-and-clarifications",
        "title": "Corrections and clarifications",
        "description": "",
        "author": "",
        "image_url": "",
        "category": "entertainment",
        "published_at": datetime(2026, 11, 23, 9, 15, 3, tzinfo=UTC),
    },
    {
        "url": "https://www.theguardian.com/games/2026/nov/22/the-best-video-games-of-the-month",
        "source": "guardian",
        "source_name": "The Guardian",
        "external_id": "games/2026/nov/22/the-best-video-games-of-the-month",
        "title": "The best video games of the month",
        "description": "A gentle farming game, a brutal roguelike and a puzzle box you won't put down",
        "author": "Keza MacDonald",
        "image_url": "https://media.guim.co.uk/0b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c/0_0_2560_1536/500.jpg",
        "category": "entertainment",
        "published_at": datetime(2026, 11, 22, 18, 30, tzinfo=UTC),
    },
]


def normalised(module, items, category):
    """Each item's article as a dict, but its feed_id (an upstream's articles come from no feed: checked), or None
    for an item skipped."""
    pages = [
        Page.from_items(source="", category=category, number=1, items=[item], normalise=module.normalise)
        for item in items
    ]
    articles = [page.articles[0] if page.articles else None for page in pages]
    assert {article.feed_id for article in articles if article} == {None}
    return [article and {k: v for k, v in asdict(article).items() if k != "feed_id"} for article in articles]


def test_it_normalises_every_article_of_the_recorded_newsapi_answer():
    items = load_sample("newsapi-top-headlines")["articles"]

    assert normalised(newsapi, items, Category.TECHNOLOGY) == NEWSAPI_SAMPLE_ARTICLES


def test_it_normalises_every_result_of_the_recorded_guardian_answer():
    items = load_sample("guardian-search")["response"]["results"]

    # Asked for "general", each result takes the category of its own section.
    assert normalised(guardian, items, Category.GENERAL) == GUARDIAN_SAMPLE_RESULTS


@pytest.mark.parametrize(
    ("sample", "message"),
    [
        (
            "newsapi-error",
            "Your API key is invalid or incorrect. Check your key, or go to https://newsapi.org to create a free API "
            "key.",
        ),
        ("guardian-error", "requested page is beyond the number of available pages, which is 29"),
    ],
)
def test_it_reads_the_message_of_a_recorded_error_answer(sample, message):
    assert error_message(load_sample(sample)) == message
