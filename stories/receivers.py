"""The stories' side of a change made elsewhere: an article deleted (in the admin, a shell, anywhere) is taken out
of its story's figures in the same transaction. Django sends post_delete once per article, after all the delete's
rows are gone, so a story that loses several is recounted each time, rightly each time."""

from .services import stories_recount


def recount_story_of_deleted_article(sender, instance, **kwargs):
    if instance.story_id is not None:
        stories_recount(story_ids=[instance.story_id])
