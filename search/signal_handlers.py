from django.db.models.signals import post_delete, post_save
from wagtail.signals import page_published, page_unpublished

from media.models import GlossaryTerm
from media.signals import subtitles_approved
from tutorials.models import TutorialPage

from .models import IndexOutbox, SearchSynonym
from .services import fallback_entry_delete, fallback_entry_update, outbox_add, search_changed


def page_went_live(sender, instance, **kwargs):
    outbox_add(page_id=instance.pk, action=IndexOutbox.Action.INDEX)
    fallback_entry_update(page=instance)


def page_went_away(sender, instance, **kwargs):
    outbox_add(page_id=instance.pk, action=IndexOutbox.Action.DELETE)
    fallback_entry_delete(page_id=instance.pk)


def video_subtitles_approved(sender, asset, **kwargs):
    # The spoken words of a live tutorial changed: its transcript segments are indexed again.
    for page in TutorialPage.objects.live():
        if any(video.pk == asset.pk for video in page.step_videos()):
            outbox_add(page_id=page.pk, action=IndexOutbox.Action.INDEX)


def register_signal_handlers() -> None:
    page_published.connect(page_went_live, sender=TutorialPage, dispatch_uid="search_page_published")
    page_unpublished.connect(page_went_away, sender=TutorialPage, dispatch_uid="search_page_unpublished")
    post_delete.connect(page_went_away, sender=TutorialPage, dispatch_uid="search_page_deleted")
    subtitles_approved.connect(video_subtitles_approved, dispatch_uid="search_subtitles_approved")
    for model in (SearchSynonym, GlossaryTerm):
        for name, signal in (("saved", post_save), ("deleted", post_delete)):
            signal.connect(search_changed, sender=model, dispatch_uid=f"search_terms_{model.__name__}_{name}")
