import pytest


def test_it_lists_each_feed_with_its_state_and_article_count(api_client, make_feed, make_articles):
    feed = make_feed(
        "/feeds/51.rss", title="Fifty-one", category="science", consecutive_errors=2, last_error="HTTP 500."
    )
    make_articles(3, source="feeds", source_name="Fifty-one", feed=feed)
    make_articles(2, source="newsapi", source_name="Fifty-one")
    make_articles(1, source="feeds", source_name="Fifty-one")  # a deleted feed's, of the same title

    response = api_client.get("/api/feeds/")

    assert response.status_code == 200
    assert response.json()["count"] == 1
    shown = response.json()["results"][0]
    assert (shown["id"], shown["title"], shown["category"], shown["article_count"]) == (
        feed.pk,
        "Fifty-one",
        "science",
        3,
    )
    assert (shown["consecutive_errors"], shown["last_error"], shown["enabled"]) == (2, "HTTP 500.", True)


def test_it_needs_a_key(client, db):
    assert client.get("/api/feeds/").status_code == 401


def test_it_refuses_an_unknown_parameter(api_client, db):
    response = api_client.get("/api/feeds/?category=science")

    assert response.status_code == 400
    assert "category" in response.json()["errors"]


def test_the_article_counts_cost_one_query_whatever_the_feeds(
    api_client, make_feed, make_articles, django_assert_max_num_queries
):
    for number in range(5):
        make_articles(2, source="feeds", feed=make_feed(f"/feeds/{60 + number}.rss"))

    with django_assert_max_num_queries(4):  # the key, the count, the page; and the key's use counted
        response = api_client.get("/api/feeds/")

    assert [feed["article_count"] for feed in response.json()["results"]] == [2] * 5


def test_the_articles_api_gives_one_feeds_articles(api_client, make_feed, make_articles):
    feed, other = make_feed("/feeds/52.rss"), make_feed("/feeds/53.rss")
    mine = make_articles(2, source="feeds", feed=feed)
    make_articles(2, source="feeds", feed=other)
    make_articles(1)

    response = api_client.get("/api/articles/", {"feed": feed.pk})

    assert response.status_code == 200
    assert sorted(article["id"] for article in response.json()["results"]) == sorted(a.id for a in mine)


@pytest.mark.parametrize("value", ["0", "-1", "x", "1.5", str(2**63)])
def test_the_articles_api_refuses_a_feed_that_is_no_id(api_client, value):
    response = api_client.get("/api/articles/", {"feed": value})

    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["feed"]


def test_the_articles_api_gives_the_feeds_articles_by_source(api_client, make_articles):
    mine = make_articles(2, source="feeds")
    make_articles(1, source="guardian")

    response = api_client.get("/api/articles/", {"source": "feeds"})

    assert response.status_code == 200
    assert sorted(a["id"] for a in response.json()["results"]) == sorted(a.id for a in mine)
    assert {a["source"] for a in response.json()["results"]} == {"feeds"}


def test_the_schema_declares_feeds_as_a_source(api_client):
    schema = api_client.get("/api/schema/", HTTP_ACCEPT="application/json").json()

    sources = schema["components"]["schemas"]["SourceEnum"]["enum"]
    assert sources == ["newsapi", "guardian", "feeds"]
