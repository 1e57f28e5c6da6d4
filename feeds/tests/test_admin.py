"""The feeds in the admin: their state, the failing and disabled ones, and the actions."""

from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile

from articles.models import Article
from feeds.models import Feed


def act(admin_client, action, *feeds):
    return admin_client.post(
        "/admin/feeds/feed/", {"action": action, "_selected_action": [feed.pk for feed in feeds]}, follow=True
    )


def test_the_failing_filter_lists_the_failing_feeds_only(admin_client, make_feed):
    make_feed("/feeds/41.rss", title="Healthy one")
    make_feed("/feeds/fault/html", title="Failing one", consecutive_errors=2, last_error="an HTML page, not a feed.")
    make_feed("/feeds/42.rss", title="Disabled one", enabled=False)

    failing = admin_client.get("/admin/feeds/feed/?state=failing").content.decode()
    disabled = admin_client.get("/admin/feeds/feed/?state=disabled").content.decode()

    assert "Failing one" in failing
    assert "an HTML page, not a feed." in failing
    assert "Healthy one" not in failing
    assert "Disabled one" in disabled
    assert "Failing one" not in disabled


def test_fetch_now_fetches_the_selected_feeds(admin_client, make_feed):
    feed = make_feed("/feeds/43.atom")

    response = act(admin_client, "fetch_now", feed)

    assert "1 feeds due: 1 fetched, 0 not modified, 0 failed. 5 articles new, 0 updated." in response.content.decode()
    assert Article.objects.filter(source="feeds").count() == 5


def test_disable_and_enable(admin_client, make_feed):
    feed = make_feed("/feeds/44.rss", consecutive_errors=3)

    act(admin_client, "disable", feed)
    feed.refresh_from_db()
    disabled = feed.enabled
    act(admin_client, "enable", feed)
    feed.refresh_from_db()

    assert disabled is False
    assert (feed.enabled, feed.consecutive_errors, feed.next_fetch_at) == (True, 0, None)
    assert Feed.objects.count() == 1


def test_export_opml_downloads_the_selected_feeds(admin_client, make_feed):
    feed = make_feed("/feeds/45.rss", title="Forty-five", category="sports")
    make_feed("/feeds/46.rss", title="Not selected")

    response = act(admin_client, "export_opml", feed)

    assert response["Content-Disposition"] == 'attachment; filename="feeds.opml"'
    assert b'text="Forty-five"' in response.content
    assert b'<outline text="sports"' in response.content
    assert b"Not selected" not in response.content


OPML = b"""<?xml version="1.0"?>
<opml version="2.0"><head><title>Mine</title></head><body>
  <outline text="Science"><outline text="Nature" xmlUrl="https://www.nature.example.com/feed"/></outline>
  <outline text="Elsewhere" xmlUrl="https://elsewhere.example.com/rss"/>
</body></opml>"""


def import_opml(admin_client, data, category="general"):
    upload = SimpleUploadedFile("subscriptions.opml", data, content_type="text/x-opml")
    return admin_client.post("/admin/feeds/feed/import-opml/", {"file": upload, "category": category}, follow=True)


def test_the_feed_list_links_to_the_opml_import(admin_client, db):
    assert 'href="/admin/feeds/feed/import-opml/"' in admin_client.get("/admin/feeds/feed/").content.decode()


def test_import_opml_subscribes_to_the_feeds_of_an_uploaded_file(admin_client, db):
    response = import_opml(admin_client, OPML, category="business")

    assert "Imported 2 feeds (0 already subscribed)." in response.content.decode()
    assert response.redirect_chain[-1][0] == "/admin/feeds/feed/"
    assert dict(Feed.objects.values_list("title", "category")) == {"Nature": "science", "Elsewhere": "business"}


def test_import_opml_says_why_a_file_is_refused_and_subscribes_to_nothing(admin_client, db):
    response = import_opml(admin_client, b"<opml><body><outline")

    assert response.status_code == 200
    assert "The file is not well-formed XML" in response.content.decode()
    assert not Feed.objects.exists()


def test_import_opml_needs_the_right_to_add_feeds(client, django_user_model, db):
    viewer = django_user_model.objects.create_user("viewer", password="pw", is_staff=True)
    viewer.user_permissions.add(Permission.objects.get(codename="view_feed"))
    client.force_login(viewer)

    response = import_opml(client, OPML)

    assert response.status_code == 403
    assert not Feed.objects.exists()
