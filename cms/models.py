from django.core.exceptions import PermissionDenied
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.models import AbstractGroupApprovalTask, Page, Revision, TaskState


class HomePage(Page):
    """The "start here" page a first-time phone user lands on."""

    welcome = models.CharField(_("welcome line"), max_length=120, blank=True)
    intro = models.TextField(_("introduction"), max_length=600, blank=True)

    content_panels = Page.content_panels + [FieldPanel("welcome"), FieldPanel("intro")]

    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["tutorials.TutorialIndexPage"]
    max_count = 1

    class Meta:
        verbose_name = _("home page")

    def get_context(self, request, *args, **kwargs):
        from tutorials.models import TutorialIndexPage
        from tutorials.selectors import category_list_with_counts, tutorial_list_recent

        context = super().get_context(request, *args, **kwargs)
        context["categories"] = category_list_with_counts()
        context["recent_tutorials"] = tutorial_list_recent(limit=6)
        context["tutorial_index"] = TutorialIndexPage.objects.child_of(self).live().first()
        return context


class TwoPersonApprovalTask(AbstractGroupApprovalTask):
    """Group approval where no author of the content under review can approve it.

    The authors are whoever asked for the review and whoever wrote any revision since the object was last
    published (all of its revisions if it never was): a Moderator who touched a draft another editor then
    submitted is an author too.
    """

    @staticmethod
    def _authors(workflow_state) -> set[int]:
        revisions = Revision.objects.filter(
            base_content_type_id=workflow_state.base_content_type_id, object_id=workflow_state.object_id
        )
        live_revision_id = getattr(workflow_state.content_object, "live_revision_id", None)
        if live_revision_id:
            revisions = revisions.filter(pk__gt=live_revision_id)
        authors = set(revisions.exclude(user=None).values_list("user_id", flat=True))
        authors.add(workflow_state.requested_by_id)
        return authors

    @classmethod
    def _is_author(cls, task_state: TaskState | None, user) -> bool:
        if task_state is None or user is None or not user.is_authenticated:
            return False
        return user.pk in cls._authors(task_state.workflow_state)

    def _current_task_state(self, obj):
        workflow_state = obj.current_workflow_state
        if workflow_state is None:
            return None
        return workflow_state.current_task_state

    def get_actions(self, obj, user):
        if self._is_author(self._current_task_state(obj), user):
            return []
        actions = super().get_actions(obj, user)
        latest = obj.get_latest_revision_as_object() if hasattr(obj, "get_latest_revision_as_object") else obj
        if (
            getattr(latest, "videos_blocking_publication", lambda: [])()
            or getattr(latest, "privacy_blocking_message", lambda: "")()
            or getattr(latest, "publication_blocking_message", lambda: "")()
        ):
            # Approving publishes; while a video's subtitles await review or personal information is found in the
            # content, only "request changes" is offered.
            actions = [action for action in actions if action[0] != "approve"]
        return actions

    def on_action(self, task_state, user, action_name, **kwargs):
        if action_name == "approve" and self._is_author(task_state, user):
            raise PermissionDenied(_("The author of a revision cannot approve it."))
        return super().on_action(task_state, user, action_name, **kwargs)

    def get_task_states_user_can_moderate(self, user, **kwargs):
        states = super().get_task_states_user_can_moderate(user, **kwargs).select_related("workflow_state")
        # Few reviews are open at once; each is checked by the same rule as get_actions.
        own = [state.pk for state in states if user.pk in self._authors(state.workflow_state)]
        return states.exclude(pk__in=own)

    @classmethod
    def get_description(cls):
        return _("Members of the chosen groups approve; the author of a revision can never approve it")

    class Meta:
        verbose_name = _("two-person approval task")
        verbose_name_plural = _("two-person approval tasks")
