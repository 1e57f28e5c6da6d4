"""
Feed tokens made, found and revoked: the one place that knows how a token looks and how it is kept.

A token is 32 random bytes (43 URL-safe characters); only its SHA-256 is stored. A fast
hash is enough for a value that random, as for API keys (djangorestframework-api-key's
SHA-512), and lets a request find its token by an indexed lookup.
"""

import hashlib
import secrets

from django.db import transaction

from .models import FeedToken

PREFIX_LENGTH = FeedToken._meta.get_field("prefix").max_length


def hashed_token(token):
    return hashlib.sha256(token.encode()).hexdigest()


def assign_token(feed_token):
    """Give an unsaved `feed_token` a new token; return the token, which is kept nowhere."""
    token = secrets.token_urlsafe(32)
    feed_token.prefix, feed_token.hashed_token = token[:PREFIX_LENGTH], hashed_token(token)
    return token


@transaction.atomic
def feed_token_create(*, api_key, name=""):
    """A new FeedToken for `api_key`, and the token itself."""
    feed_token = FeedToken(api_key=api_key, name=name)
    token = assign_token(feed_token)
    feed_token.save()
    return feed_token, token


def feed_token_revoke(*, token_or_prefix):
    """Revoke the token given whole, or by its prefix (as the admin lists it); return it. LookupError: no such token,
    or a prefix that several tokens share."""
    if len(token_or_prefix) > PREFIX_LENGTH:
        matches = list(FeedToken.objects.filter(hashed_token=hashed_token(token_or_prefix)))
    else:
        matches = list(FeedToken.objects.filter(prefix=token_or_prefix)[:2])
    if len(matches) != 1:
        raise LookupError("no feed token has it" if not matches else "several feed tokens start so: give it whole")
    feed_token = matches[0]
    feed_token.revoked = True
    feed_token.save(update_fields=["revoked"])
    return feed_token


def feed_token_get(token):
    """The FeedToken that `token` is, with its API key, or None. Revoked ones are found too: the caller says why."""
    return FeedToken.objects.select_related("api_key").filter(hashed_token=hashed_token(token)).first()
