"""Pages by cursor: stable while articles arrive, both ways, in either order; and an offset past the end."""

from datetime import timedelta

import pytest

from articles.api.pagination import Cursor

pytestmark = pytest.mark.django_db


def ids(response):
    assert response.status_code == 200, response.json()
    return [article["id"] for article in response.json()["results"]]


def every_id(answers):
    return [article_id for answer in answers for article_id in ids(answer)]


def pages(api_client, first, key="next"):
    """Every page from `first` on, following `key` links to the end."""
    answers = [api_client.get("/api/articles/", first)]
    while answers[-1].json()[key]:
        answers.append(api_client.get(answers[-1].json()[key]))
    return answers


def test_a_first_page_without_offset_links_the_next_by_cursor(api_client, make_articles):
    made = make_articles(5, spacing=timedelta(0))  # all at one time: the id decides

    answers = pages(api_client, {"limit": 2})

    assert every_id(answers) == sorted((a.id for a in made), reverse=True)
    assert "cursor=" in answers[0].json()["next"]
    assert "offset" not in answers[0].json()["next"]
    assert answers[0].json()["previous"] is None


def test_articles_arriving_meanwhile_shift_nothing(api_client, make_articles):
    older = make_articles(4)
    first = api_client.get("/api/articles/", {"limit": 2})

    newer = make_articles(3, published_at=older[0].published_at + timedelta(hours=1))
    second = api_client.get(first.json()["next"])

    assert ids(first) + ids(second) == [a.id for a in older]
    assert ids(api_client.get(second.json()["previous"])) == [older[0].id, older[1].id]
    assert ids(api_client.get("/api/articles/", {"limit": 3})) == [a.id for a in newer]


def test_previous_links_go_back_to_the_first_page(api_client, make_articles):
    made = make_articles(5)
    forward = pages(api_client, {"limit": 2})

    backward = [api_client.get(forward[-1].json()["previous"])]
    while backward[-1].json()["previous"]:
        backward.append(api_client.get(backward[-1].json()["previous"]))

    assert [ids(answer) for answer in forward] == [[made[0].id, made[1].id], [made[2].id, made[3].id], [made[4].id]]
    assert [ids(answer) for answer in backward] == [[made[2].id, made[3].id], [made[0].id, made[1].id]]
    assert ids(api_client.get(backward[-1].json()["next"])) == [made[2].id, made[3].id]


def test_a_page_before_the_first_article_links_to_the_first_page(api_client, make_articles):
    (newest,) = make_articles(1)
    before_it = Cursor.of({"published_at": newest.published_at, "id": newest.id}, before=True).encode()

    answer = api_client.get("/api/articles/", {"cursor": before_it, "limit": 2})

    assert ids(answer) == []
    assert answer.json()["next"].endswith("/api/articles/?limit=2")


def test_a_cursor_follows_the_ordering(api_client, make_articles):
    made = make_articles(5)

    answers = pages(api_client, {"limit": 2, "ordering": "published_at"})

    assert every_id(answers) == [a.id for a in reversed(made)]


def test_a_cursor_pages_a_search_by_time(api_client, make_articles):
    made = make_articles(3, title="Satellite news")
    make_articles(2, title="Other")

    answers = pages(api_client, {"limit": 2, "q": "satellite", "ordering": "-published_at"})

    assert every_id(answers) == [a.id for a in made]


def test_a_search_by_best_match_pages_by_offset(api_client, make_articles):
    make_articles(3, title="Satellite news")

    first = api_client.get("/api/articles/", {"limit": 2, "q": "satellite"})

    assert "offset=2" in first.json()["next"]


@pytest.mark.parametrize("cursor", ["x1.2", "a1.", "a.5", "a1.2.3", "a" + "9" * 17 + ".1"])
def test_a_cursor_not_of_this_api_is_a_400(api_client, cursor):
    response = api_client.get("/api/articles/", {"cursor": cursor})

    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["cursor"]


def test_any_cursor_of_the_declared_pattern_is_a_page(api_client, make_articles):
    make_articles(2)

    for cursor in ("a0.0", "b-9999999999999999.999999999999999999", "a9999999999999999.0"):
        assert api_client.get("/api/articles/", {"cursor": cursor}).status_code == 200


def test_an_offset_past_the_end_links_back_to_the_last_page(api_client, make_articles):
    made = make_articles(5)

    past = api_client.get("/api/articles/", {"limit": 2, "offset": 10})
    back = api_client.get(past.json()["previous"])

    assert ids(past) == []
    assert ids(back) == [made[3].id, made[4].id]
