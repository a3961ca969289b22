import pytest
from wagtail.images.models import Rendition

from tests import factories
from tutorials.renditions import SCREENSHOT_FILTERS
from tutorials.tasks import tutorial_prepare_images

pytestmark = pytest.mark.django_db


def test_publishing_prepares_screenshot_renditions(tutorial_index, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        page = factories.make_tutorial(tutorial_index)
    [image] = page.screenshot_images()
    specs = set(Rendition.objects.filter(image=image).values_list("filter_spec", flat=True))
    assert specs == set(SCREENSHOT_FILTERS)


def test_preparing_twice_creates_nothing_new(tutorial):
    tutorial_prepare_images.call(tutorial.pk)
    before = Rendition.objects.count()
    assert tutorial_prepare_images.call(tutorial.pk) == 1
    assert Rendition.objects.count() == before


def test_a_deleted_page_is_skipped():
    assert tutorial_prepare_images.call(987654) == 0


def test_page_uses_the_prepared_renditions(client, tutorial):
    tutorial_prepare_images.call(tutorial.pk)
    before = Rendition.objects.count()
    client.get(tutorial.url)
    assert Rendition.objects.count() == before
