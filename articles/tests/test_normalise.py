from datetime import UTC, datetime

import pytest

from articles.models import Category
from articles.upstreams import guardian, newsapi
from articles.upstreams.base import canonical_url, plain_text

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
    assert newsapi.normalise({**NEWSAPI_ITEM, **change}, category=Category.BUSINESS) is None


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
    assert guardian.normalise({**GUARDIAN_ITEM, **change}, category=Category.SPORTS) is None


def test_it_accepts_guardian_results_without_fields():
    article = guardian.normalise({**GUARDIAN_ITEM, "fields": None}, category=Category.SPORTS)

    assert (article.description, article.author, article.image_url) == ("", "", "")


@pytest.mark.parametrize(
    ("raw", "canonical"),
    [
        ("HTTPS://WWW.Example.com/a/b?utm_campaign=x&page=2#frag", "https://www.example.com/a/b?page=2"),
        ("https://example.com?fbclid=1&gclid=2&CMP=share", "https://example.com/"),
        ("  https://example.com/a?b=1&a=2  ", "https://example.com/a?b=1&a=2"),
        ("https://例え.jp/記事 x", "https://xn--r8jz45g.jp/%E8%A8%98%E4%BA%8B%20x"),
        ("https://example.com/caf%C3%A9", "https://example.com/caf%C3%A9"),
        ("https://example.com/café", "https://example.com/caf%C3%A9"),
        ("https://user:secret@example.com:8443/a/<b>", "https://example.com:8443/a/%3Cb%3E"),
        ("http://[::1]/a", "http://[::1]/a"),
        ("http://[::1/broken", None),
        ("https://example.com:notaport/", None),
        ("https://example.com/\x00a", "https://example.com/a"),
        ("javascript:alert(1)", None),
        ("https://example.com/" + "a" * 2000, None),
        (None, None),
    ],
)
def test_canonical_url(raw, canonical):
    assert canonical_url(raw) == canonical


def test_plain_text_strips_tags_unescapes_and_folds_space():
    assert plain_text("<p>Fish &amp; <i>chips</i>\n\n&#x27;today&#x27;</p>") == "Fish & chips 'today'"
    assert plain_text(None) == ""
    assert plain_text("x" * 10, limit=4) == "xxxx"
