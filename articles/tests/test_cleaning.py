"""What every normaliser cleans the same way (articles/upstreams/cleaning.py): URLs and text."""

import pytest

from articles.upstreams.cleaning import TEXT_LIMITS, canonical_url, plain_text, shortened


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


def test_plain_text_replaces_a_lone_surrogate():
    assert plain_text("Broken \ud800") == "Broken \N{REPLACEMENT CHARACTER}"
    assert plain_text("Whole \N{GRINNING FACE}") == "Whole \N{GRINNING FACE}"


@pytest.mark.parametrize(
    ("text", "limit", "expected"),
    [
        ("a few words", 20, "a few words"),
        ("a few more words than fit", 14, "a few more…"),
        ("xxxxxxxxxx", 4, "xxx…"),  # one long word: cut inside it
        ("a " + "x" * 20, 10, "a xxxxxxx…"),  # a boundary too early to keep most of the text
    ],
)
def test_text_is_shortened_on_a_word_boundary(text, limit, expected):
    assert shortened(text, limit) == expected
    assert len(expected) <= limit


def test_the_text_limits_are_the_models_where_it_has_one():
    from articles.models import Article

    for name, limit in TEXT_LIMITS.items():
        assert Article._meta.get_field(name).max_length in (limit, None), name
