import pytest

from stories.models import Story, StoryTerm


@pytest.mark.django_db
def test_any_finds_the_rows_whose_field_is_one_of_the_values():
    stories = [Story.objects.create(title=title) for title in ("Gox", "Sbarro", "MH370")]
    wanted = [stories[0].pk, stories[2].pk, stories[2].pk, 10**12]
    assert sorted(Story.objects.filter(id__any=wanted).values_list("title", flat=True)) == ["Gox", "MH370"]
    assert list(
        Story.objects.filter(title__any=["Sbarro", 'it\'s "quoted", {braced}']).values_list("pk", flat=True)
    ) == [stories[1].pk]
    assert not Story.objects.filter(id__any=[]).exists()


@pytest.mark.django_db
def test_any_works_in_deletes_and_updates():
    story = Story.objects.create()
    StoryTerm.objects.create(story=story, term="gox", weight=1.0, last_published_at="2026-12-07T00:00:00Z")
    assert StoryTerm.objects.filter(story_id__any=[story.pk]).delete()[0] == 1
    assert Story.objects.filter(id__any=[story.pk]).update(terms_stale=True) == 1
