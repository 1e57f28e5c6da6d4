def test_it_lists_each_feed_with_its_state_and_article_count(api_client, make_feed, make_articles):
    feed = make_feed(
        "/feeds/51.rss", title="Fifty-one", category="science", consecutive_errors=2, last_error="HTTP 500."
    )
    make_articles(3, source="feeds", source_name="Fifty-one")
    make_articles(2, source="newsapi", source_name="Fifty-one")

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
