"""The Atom feed of any filtered list, as a feed reader reads it over real HTTP: feedparser, a token in the URL."""

import logging
import secrets
from io import StringIO

import feedparser
import pytest
import requests
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import RequestFactory
from rest_framework_api_key.models import APIKey

from articles.api.feed import TOKEN_INVALID, TOKEN_MISSING
from articles.api.models import FeedToken
from profiling.gunicorn_process import GunicornProcess
from profiling.sampling import should_record


def read_feed(live_api, query):
    response = requests.get(f"{live_api}/api/articles/feed.atom?{query}", timeout=30)
    return response, feedparser.parse(response.content)


def test_a_feed_reader_reads_the_filtered_list_newest_first(live_api, api_key, feed_token):
    response, feed = read_feed(live_api, f"token={feed_token}&category=business")
    listed = requests.get(f"{live_api}/api/articles/?category=business", headers={"X-Api-Key": api_key}, timeout=30)

    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/atom+xml; charset=utf-8"
    assert not feed.bozo, feed.get("bozo_exception")
    assert feed.version == "atom10"
    assert feed.feed.title == "News aggregator: category=business"
    assert [entry.link for entry in feed.entries] == [article["url"] for article in listed.json()["results"]]
    first, article = feed.entries[0], listed.json()["results"][0]
    assert (first.title, first.summary, first.author) == (article["title"], article["description"], "The Guardian")
    assert first.id == article["url"]
    assert [tag.term for tag in first.tags] == ["business"]
    assert first.published_parsed[:5] == (2026, 11, 23, 12, 0)
    assert feed_token not in response.text  # the feed's own address is given without it


def test_the_feed_takes_the_lists_filters_and_a_limit(live_api, feed_token, make_articles):
    make_articles(1, title="Election results are in", category="business", source_name="Ballot Times")

    _, searched = read_feed(live_api, f"token={feed_token}&q=election")
    _, two = read_feed(live_api, f"token={feed_token}&limit=2&source=newsapi&exclude_publisher=Ballot%20Times")

    assert [entry.title for entry in searched.entries] == ["Election results are in"]
    assert [entry.author for entry in two.entries] == ["A. Writer", "A. Writer"]  # Example Times', of three


@pytest.mark.parametrize(
    ("query", "errors"),
    [
        ("category=weather", {"category"}),
        ("colour=red", {"colour"}),
        ("limit=500", {"limit"}),
        ("offset=20", {"offset"}),
    ],
)
def test_a_bad_parameter_is_the_lists_400(live_api, feed_token, query, errors):
    response, _ = read_feed(live_api, f"token={feed_token}&{query}")

    assert response.status_code == 400
    assert response.headers["Content-Type"] == "application/json"
    assert set(response.json()["errors"]) == errors


def test_a_feed_without_a_good_token_is_refused_with_one_sentence(live_api, api_key, feed_token):
    missing, _ = read_feed(live_api, "category=business")
    made_up, _ = read_feed(live_api, f"token={secrets.token_urlsafe(32)}")
    an_api_key, _ = read_feed(live_api, f"token={api_key}")
    FeedToken.objects.update(revoked=True)
    revoked, _ = read_feed(live_api, f"token={feed_token}")

    assert (missing.status_code, missing.json()) == (401, {"detail": TOKEN_MISSING})
    for refused in (made_up, an_api_key, revoked):
        assert (refused.status_code, refused.json()) == (401, {"detail": TOKEN_INVALID})
        assert refused.headers["WWW-Authenticate"] == 'FeedToken realm="feed"'


def test_a_revoked_api_key_revokes_its_feed_tokens(live_api, api_key, feed_token):
    key = APIKey.objects.get_from_key(api_key)
    key.revoked = True
    key.save()

    response, _ = read_feed(live_api, f"token={feed_token}")

    assert (response.status_code, response.json()) == (401, {"detail": TOKEN_INVALID})


def test_the_feed_counts_against_its_keys_rate_limit(live_api, api_key, feed_token, rate_limit):
    rate_limit(2)
    requests.get(f"{live_api}/api/categories/", headers={"X-Api-Key": api_key}, timeout=30)

    within, _ = read_feed(live_api, f"token={feed_token}")
    over, _ = read_feed(live_api, f"token={feed_token}")

    assert within.status_code == 200
    assert (within.headers["RateLimit-Limit"], within.headers["RateLimit-Remaining"]) == ("2", "0")
    assert over.status_code == 429
    assert int(over.headers["Retry-After"]) > 0


def test_gunicorn_and_django_log_the_token_masked(postgres, live_api, feed_token, tmp_path, log_output):
    db = connection.settings_dict
    environ = {
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        "GUNICORN_WORKERS": "1",
    }
    with GunicornProcess(tmp_path, environ) as server:
        served = requests.get(f"{server.base_url}/api/articles/feed.atom?token={feed_token}&limit=1", timeout=30)
    logging.getLogger("django.server").info('"GET /api/articles/feed.atom?token=%s HTTP/1.1" 200 9', feed_token)
    read_feed(live_api, f"token={feed_token}x")  # refused: a warning line

    assert served.status_code == 200
    access_log = server.stdout_path.read_text()
    assert "GET /api/articles/feed.atom?token=***&limit=1 HTTP/1.1" in access_log
    assert feed_token not in access_log + server.stderr_path.read_text()
    assert "/api/articles/feed.atom?token=*** HTTP/1.1" in log_output.getvalue()
    assert feed_token not in log_output.getvalue()


def test_silk_never_records_a_feed_read_by_its_token():
    assert not should_record(RequestFactory().get("/api/articles/feed.atom", {"token": "abc"}))


def test_the_commands_make_a_token_and_revoke_it(live_api, api_key):
    prefix = APIKey.objects.get_from_key(api_key).prefix
    stdout, stderr = StringIO(), StringIO()
    call_command("create_feed_token", prefix, name="my reader", stdout=stdout, stderr=stderr)
    token = stdout.getvalue().strip().splitlines()[-1]

    works, _ = read_feed(live_api, f"token={token}")
    call_command("revoke_feed_token", token[:8], stdout=StringIO())
    refused, _ = read_feed(live_api, f"token={token}")

    assert "Store it now: it cannot be shown again." in stderr.getvalue()
    assert (works.status_code, refused.status_code) == (200, 401)
    assert FeedToken.objects.get().name == "my reader"
    with pytest.raises(CommandError, match="No API key has the prefix 'nokey'"):
        call_command("create_feed_token", "nokey")
    with pytest.raises(CommandError, match="no feed token has it"):
        call_command("revoke_feed_token", "notoken")


def test_the_admin_makes_a_token_shown_once_and_revokes_it(live_api, api_key, admin_client):
    key = APIKey.objects.get_from_key(api_key)

    added = admin_client.post("/admin/api/feedtoken/add/", {"api_key": key.pk, "name": "reader"}, follow=True)
    message = next(str(m) for m in added.context["messages"] if "The feed token is" in str(m))
    token = message.split("The feed token is ")[1].split(":")[0]
    works, _ = read_feed(live_api, f"token={token}")
    admin_client.post(
        "/admin/api/feedtoken/",
        {"action": "revoke", "_selected_action": [FeedToken.objects.get().pk]},
    )
    refused, _ = read_feed(live_api, f"token={token}")

    assert (works.status_code, refused.status_code) == (200, 401)
    assert FeedToken.objects.get().hashed_token != token
