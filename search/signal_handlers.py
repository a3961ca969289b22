"""What reaches the search index: receivers only record the change or queue a task that finds what it touches."""

from django.db import transaction
from django.db.models.signals import post_delete, post_save, pre_delete
from wagtail.models import PageViewRestriction
from wagtail.signals import page_published, page_slug_changed, page_unpublished, post_page_move

from media.models import GlossaryTerm, VideoAsset
from media.signals import subtitles_approved, subtitles_withdrawn
from tutorials.models import ServiceCategory, TutorialPage

from .models import IndexOutbox, SearchSynonym
from .services import outbox_add, search_changed


def page_went_live(sender, instance, **kwargs):
    outbox_add(page_ids=[instance.pk], action=IndexOutbox.Action.INDEX)


def page_went_away(sender, instance, **kwargs):
    outbox_add(page_ids=[instance.pk], action=IndexOutbox.Action.DELETE)


def page_moved_or_restricted(page_id: int) -> None:
    from .tasks import search_pages_under_changed

    transaction.on_commit(lambda: search_pages_under_changed.enqueue(page_id=page_id))


def page_was_moved(sender, instance, **kwargs):
    # Moved, or a new slug published: the URLs of the page and of every tutorial under it changed.
    page_moved_or_restricted(instance.pk)


def view_restriction_changed(sender, instance, **kwargs):
    # Restricted pages (and those under them) leave public search; lifted restrictions bring them back.
    page_moved_or_restricted(instance.page_id)


def category_saved(sender, instance, created, **kwargs):
    from .tasks import search_category_changed

    if not created:
        transaction.on_commit(lambda: search_category_changed.enqueue(category_id=instance.pk))


def video_subtitles_changed(sender, asset, **kwargs):
    # Sent after the approval (or the withdrawal) committed; the task finds the tutorials through the reference index.
    from .tasks import search_video_changed

    search_video_changed.enqueue(video_id=asset.pk)


def video_deleting(sender, instance, **kwargs):
    # Wagtail drops the references to a deleted object with it, so the tutorials showing the video are recorded
    # now, while the reference index still names them (one indexed query).
    from .selectors import tutorial_ids_using_video

    outbox_add(page_ids=tutorial_ids_using_video(video_id=instance.pk), action=IndexOutbox.Action.INDEX)


def register_signal_handlers() -> None:
    page_published.connect(page_went_live, sender=TutorialPage, dispatch_uid="search_page_published")
    page_unpublished.connect(page_went_away, sender=TutorialPage, dispatch_uid="search_page_unpublished")
    post_delete.connect(page_went_away, sender=TutorialPage, dispatch_uid="search_page_deleted")
    # Any page: moving or renaming a tutorial index moves the tutorials under it.
    post_page_move.connect(page_was_moved, dispatch_uid="search_page_moved")
    page_slug_changed.connect(page_was_moved, dispatch_uid="search_page_slug_changed")
    for name, signal in (("saved", post_save), ("deleted", post_delete)):
        signal.connect(view_restriction_changed, sender=PageViewRestriction, dispatch_uid=f"search_restriction_{name}")
    post_save.connect(category_saved, sender=ServiceCategory, dispatch_uid="search_category_saved")
    subtitles_approved.connect(video_subtitles_changed, dispatch_uid="search_subtitles_approved")
    subtitles_withdrawn.connect(video_subtitles_changed, dispatch_uid="search_subtitles_withdrawn")
    pre_delete.connect(video_deleting, sender=VideoAsset, dispatch_uid="search_video_deleting")
    for model in (SearchSynonym, GlossaryTerm):
        for name, signal in (("saved", post_save), ("deleted", post_delete)):
            signal.connect(search_changed, sender=model, dispatch_uid=f"search_terms_{model.__name__}_{name}")
