from django import forms
from django.conf import settings
from django.utils.html import format_html
from django.utils.text import slugify
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
            from .models import TutorialPage, video_blocking_message

            probe = TutorialPage(steps=cleaned["steps"])
            blocking = probe.videos_blocking_publication()
            if blocking:
                self.add_error(None, video_blocking_message(blocking))
        return cleaned


class StepFeedbackForm(forms.Form):
    page = forms.IntegerField(min_value=1)
    step = forms.CharField(max_length=64)
    helpful = forms.TypedChoiceField(choices=[("yes", "yes"), ("no", "no")], coerce=lambda v: v == "yes")
