from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.panels import FieldPanel, ObjectList, Panel
from wagtail.admin.ui.tables import Column
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.chooser import (
    ChooseResultsView,
    ChooseView,
    SnippetChooserViewSet,
    SnippetCreateView,
)
from wagtail.snippets.views.snippets import CreateView, EditView, SnippetViewSet

from . import admin_views, selectors
from .forms import VideoAssetForm, VideoUploadForm
from .models import GlossaryTerm, SubtitleTrack, VideoAsset


class VideoStatusPanel(Panel):
    """Where processing has got to, shown on the video's edit page."""

    class BoundPanel(Panel.BoundPanel):
        template_name = "media/admin/status_panel.html"

        # The admin's CSP refuses inline styles, and the project keeps scripts out of templates.
        class Media:
            css = {"all": ["media/css/admin.css"]}
            js = ["cms/js/status_poll.js"]

        def is_shown(self):
            return bool(self.instance and self.instance.pk)

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            context["asset"] = self.instance
            context["payload"] = admin_views.status_payload(self.instance)
            return context


class StatusColumn(Column):
    def get_value(self, instance):
        return format_html(
            '<a href="{}">{}</a> <progress max="100" value="{}" aria-label="{}">{}%</progress>',
            reverse("video_status", args=(instance.pk,)),
            instance.get_status_display(),
            instance.progress_percent,
            _("Progress"),
            instance.progress_percent,
        )


class ChooserStatusColumn(Column):
    """The status without a link: a link inside the chooser would leave the page being edited."""

    def get_value(self, instance):
        return format_html(
            '<span data-video-status-label>{}</span> <progress max="100" value="{}" aria-label="{}">{}%</progress>',
            instance.get_status_display(),
            instance.progress_percent,
            _("Progress"),
            instance.progress_percent,
        )


class SubtitlesColumn(Column):
    def get_value(self, instance):
        state, label = admin_views.subtitles_state(instance)
        return format_html('<span data-subtitles-state="{}">{}</span>', state, label)


class PosterColumn(Column):
    """The poster frame, through the permission-checked video URL (the file itself is in private storage)."""

    def get_value(self, instance):
        if not instance.poster:
            return _("No poster yet")
        return format_html(
            '<img src="{}" width="96" alt="" loading="lazy" data-video-poster>',
            reverse("video_poster", args=(instance.pk,)),
        )


class VideoAssetCreateView(CreateView):
    def save_instance(self):
        # The uploader is kept with the video (uploaded_by is not a form field).
        self.form.instance.uploaded_by = self.request.user
        return super().save_instance()

    def get_success_url(self):
        # Straight to where processing shows, not back to a list in which the new video still says "waiting".
        return reverse("video_status", args=(self.object.pk,))


class VideoChooseViewMixin:
    @property
    def columns(self):
        return [
            PosterColumn("poster", label=_("Poster")),
            *super().columns,
            ChooserStatusColumn("status", label=_("Status")),
            SubtitlesColumn("subtitles", label=_("Subtitles")),
        ]


class VideoChooseView(VideoChooseViewMixin, ChooseView):
    pass


class VideoChooseResultsView(VideoChooseViewMixin, ChooseResultsView):
    pass


class VideoChooserCreateView(SnippetCreateView):
    def save_form(self, form):
        form.instance.uploaded_by = self.request.user
        return form.save()


class VideoChooserViewSet(SnippetChooserViewSet):
    """The step's video chooser: posters and states in the list, and an upload tab."""

    choose_view_class = VideoChooseView
    choose_results_view_class = VideoChooseResultsView
    create_view_class = VideoChooserCreateView
    creation_form_class = VideoUploadForm
    create_action_label = _("Upload")
    create_action_clicked_label = _("Uploading…")
    creation_tab_label = _("Upload a video")


class VideoAssetEditView(EditView):
    def form_valid(self, form):
        try:
            return super().form_valid(form)
        except ValidationError as error:
            # A worker claimed the video between the form's check and the save (media.services.video_file_replace
            # checks again under the row lock): the same message as the form's own check, nothing saved.
            form.add_error("file", error)
            self.produced_error_message = self.get_error_message()
            return self.form_invalid(form)


class VideoAssetViewSet(SnippetViewSet):
    model = VideoAsset
    add_view_class = VideoAssetCreateView
    edit_view_class = VideoAssetEditView
    chooser_viewset_class = VideoChooserViewSet
    icon = "media"
    menu_label = _("Videos")
    add_to_admin_menu = True
    menu_order = 220
    list_display = [
        "title",
        StatusColumn("status", label=_("Status")),
        SubtitlesColumn("subtitles", label=_("Subtitles")),
        "created_at",
    ]
    list_filter = ["status", "subtitles", "language"]
    search_fields = ["title"]

    edit_handler = ObjectList(
        [FieldPanel("title"), FieldPanel("language"), FieldPanel("file"), VideoStatusPanel()],
        base_form_class=VideoAssetForm,
    )


class GlossaryViewSet(SnippetViewSet):
    model = GlossaryTerm
    icon = "doc-full"
    menu_label = _("Speech glossary")
    add_to_settings_menu = True
    list_display = ["term", "misheard_as"]
    search_fields = ["term", "misheard_as"]


class SubtitleCuesPanel(Panel):
    """The cues of the version being looked at, read-only: they are edited in the cue editor beside the video."""

    class BoundPanel(Panel.BoundPanel):
        template_name = "media/admin/subtitle_cues_panel.html"

        def is_shown(self):
            return bool(self.instance and self.instance.pk)

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            context["track"] = self.instance
            context["cues"] = [{"start": start, "end": end, "text": text} for start, end, text in self.instance.cues]
            context["versions"] = selectors.subtitle_versions(asset=self.instance.asset)
            return context


class SubtitleTrackEditView(EditView):
    def save_instance(self):
        # The form has no fields: approving or rejecting here must not add a revision by the reviewer,
        # who would then count as an author of the working copy.
        if self.action == "workflow-action" and not self.form.has_changed():
            self.new_revision = None
            return self.object
        return super().save_instance()


class SubtitleTrackViewSet(SnippetViewSet):
    model = SubtitleTrack
    icon = "media"
    menu_label = _("Subtitles")
    edit_view_class = SubtitleTrackEditView
    edit_handler = ObjectList([SubtitleCuesPanel()])


register_snippet(VideoAssetViewSet)
register_snippet(SubtitleTrackViewSet)
register_snippet(GlossaryViewSet)


@hooks.register("register_admin_urls")
def register_video_admin_urls():
    return [
        path("videos/<int:pk>/status/", admin_views.video_status, name="video_status"),
        path("videos/<int:pk>/retry/", admin_views.video_retry, name="video_retry"),
        path("videos/<int:pk>/subtitles/", admin_views.video_subtitles_edit, name="video_subtitles_edit"),
        path("videos/<int:pk>/subtitles.vtt", admin_views.video_subtitles_preview, name="video_subtitles_preview"),
    ]


@hooks.register("before_create_snippet")
def subtitles_belong_to_a_video(request, model):
    # A track is made by the video's processing; a bare one would have no video to belong to.
    if model is SubtitleTrack:
        messages.info(request, _("Subtitles are made when a video is processed; open the video to review them."))
        return redirect("wagtailsnippets_bangban_media_videoasset:list")
    return None
