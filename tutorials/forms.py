from django import forms
from django.conf import settings
from django.urls import reverse
from django.utils.html import conditional_escape, format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.text import slugify
from django.utils.translation import gettext as _
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.models import Page

# Editor actions that send a page towards going live.
PUBLISHING_ACTIONS = ("action-publish", "action-submit", "action-workflow-action")
SLUG_MAX_LENGTH = 80


def pinyin_slug(title: str) -> str:
    """A readable ASCII slug for a Chinese title: 查询社保缴费记录 → cha-xun-she-bao-jiao-fei-ji-lu."""
    from pypinyin import lazy_pinyin

    slug = slugify(" ".join(lazy_pinyin(title)))
    if len(slug) > SLUG_MAX_LENGTH:
        slug = slug[:SLUG_MAX_LENGTH].rsplit("-", 1)[0]
    return slug


def category_label(category) -> str:
    # The radio list shows what the public site shows: the badge, the name and what the category covers.
    if category.description:
        return format_html(
            '<span class="category-choice__badge">{}</span> <strong>{}</strong> — {}',
            category.badge,
            category.name,
            category.description,
        )
    return format_html(
        '<span class="category-choice__badge">{}</span> <strong>{}</strong>', category.badge, category.name
    )


class LinkedMessage(SafeString):
    """An error message holding links. Wagtail's edit view lists non-field errors as ``prefix + error`` with an
    empty prefix; a plain ``str + SafeString`` is no longer safe, so the links would show as escaped markup."""

    __slots__ = ()

    def __radd__(self, lhs):
        if isinstance(lhs, str):
            return LinkedMessage(conditional_escape(lhs) + str.__str__(self))
        return NotImplemented


def video_review_url(video) -> str:
    if video.status == video.Status.READY:
        return reverse("video_subtitles_edit", args=(video.pk,))
    return reverse("video_status", args=(video.pk,))


def video_blocking_html(videos) -> LinkedMessage:
    """The message that stops a tutorial going towards publication, each video linked to where it is reviewed."""
    links = format_html_join("、", '<a href="{}">{}</a>', ((video_review_url(video), str(video)) for video in videos))
    sentence = _(
        "This tutorial cannot be published yet: these videos are still being processed, failed, or have "
        "subtitles an editor has not approved: %(titles)s"
    )
    return LinkedMessage(conditional_escape(sentence) % {"titles": links})


class TutorialPageForm(WagtailAdminPageForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "category" in self.fields:
            self.fields["category"].label_from_instance = category_label
        if "slug" in self.fields:
            # Left empty, the slug is made from the title (see _readable_slug).
            self.fields["slug"].required = False

    def _readable_slug(self) -> None:
        """Replace the slug Wagtail made from a Chinese title (the title itself) by its pinyin.

        Only before the first publication, so no link already handed out changes; a slug the editor typed stays.
        """
        if self.instance.first_published_at:
            return
        title = self.cleaned_data.get("title") or ""
        slug = self.cleaned_data.get("slug") or ""
        automatic = slugify(title, allow_unicode=getattr(settings, "WAGTAIL_ALLOW_UNICODE_SLUGS", True))
        if slug and (slug != automatic or slug.isascii()):
            return
        base = pinyin_slug(title)
        if not base:
            return
        candidate, suffix = base, 1
        while self.parent_page is not None and not Page._slug_is_available(candidate, self.parent_page, self.instance):
            suffix += 1
            candidate = f"{base}-{suffix}"
        self.cleaned_data["slug"] = candidate

    def clean(self):
        if "slug" in self.fields and "slug" in self.cleaned_data:
            self._readable_slug()
        cleaned = super().clean()
        if any(action in self.data for action in PUBLISHING_ACTIONS) and "steps" in cleaned:
            from .models import TutorialPage, privacy_blocking_message

            probe = TutorialPage(
                pk=self.instance.pk,
                steps=cleaned["steps"],
                title=cleaned.get("title") or "",
                summary=cleaned.get("summary") or "",
                seo_title=cleaned.get("seo_title") or "",
                search_description=cleaned.get("search_description") or "",
            )
            blocking = probe.videos_blocking_publication()
            message = video_blocking_html(blocking) if blocking else privacy_blocking_message(probe)
            if message:
                self.add_error(None, message)
        return cleaned


def _feedback_reasons():
    from .models import StepFeedback  # the models module imports this one

    return StepFeedback.Reason.choices


class StepFeedbackForm(forms.Form):
    page = forms.IntegerField(min_value=1)
    step = forms.CharField(max_length=64)
    helpful = forms.TypedChoiceField(choices=[("yes", "yes"), ("no", "no")], coerce=lambda v: v == "yes")
    reason = forms.ChoiceField(choices=_feedback_reasons, required=False)
    # The channel the page was reached through (from its tagged link, never a cookie): a "yes" counts for it.
    ch = forms.CharField(max_length=40, required=False)
