from django import forms
from django.core.exceptions import ValidationError
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.admin.telepath import register
from wagtail.blocks.struct_block import StructBlockAdapter, StructBlockValidationError
from wagtail.images.blocks import ImageChooserBlock
from wagtail.snippets.blocks import SnippetChooserBlock


class ScreenshotBlock(blocks.StructBlock):
    image = ImageChooserBlock(label=_("Screenshot"))
    alt = blocks.CharBlock(
        label=_("Alt text"),
        max_length=200,
        help_text=_("Describe what the screen shows, for people who cannot see it."),
    )

    class Meta:
        icon = "image"
        label = _("Screenshot")

    def clean(self, value):
        # An empty alt text takes the image's description, as Wagtail's ImageBlock offers it; with no description
        # it is refused here as well as by `required`, because Wagtail lets drafts skip required fields: a
        # screenshot without alt text is never stored, not even in a draft.
        image = value.get("image")
        description = (getattr(image, "description", "") or "").strip()
        if description and not (value.get("alt") or "").strip():
            value["alt"] = description[: self.child_blocks["alt"].field.max_length]
        value = super().clean(value)
        if not (value.get("alt") or "").strip():
            raise StructBlockValidationError(
                block_errors={"alt": ValidationError(_("Every screenshot needs alt text describing the screen."))}
            )
        return value


class ScreenshotBlockAdapter(StructBlockAdapter):
    """Fills an empty alt text with the description of the image just chosen or uploaded."""

    js_constructor = "tutorials.blocks.ScreenshotBlock"

    @cached_property
    def media(self):
        return forms.Media(
            js=[*super().media._js, "tutorials/js/screenshot_block.js"],
            css=super().media._css,
        )


register(ScreenshotBlockAdapter(), ScreenshotBlock)


class TipKindBlock(blocks.ChoiceBlock):
    """Tip or warning, picked with two radio buttons and never marked required: the whole tip is optional, and
    an empty choice counts as a tip."""

    def __init__(self, **kwargs):
        kwargs.setdefault("widget", forms.RadioSelect)
        super().__init__(required=False, **kwargs)

    def _get_callable_choices(self, choices, blank_choice=True):
        # No "select an option" entry: one of the two is always chosen.
        return super()._get_callable_choices(choices, blank_choice=False)

    def clean(self, value):
        return super().clean(value) or self.get_default()


class TipBlock(blocks.StructBlock):
    kind = TipKindBlock(
        label=_("Kind"),
        choices=[("tip", _("Tip")), ("warning", _("Warning"))],
        default="tip",
    )
    text = blocks.TextBlock(
        label=_("Text"),
        max_length=300,
        required=False,
        help_text=_("Optional. Leave empty and no tip is shown."),
    )

    class Meta:
        label = _("Tip or warning (optional)")


class StepBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("Step title"), max_length=80)
    text = blocks.TextBlock(label=_("What to do"), max_length=500)
    screenshots = blocks.ListBlock(ScreenshotBlock(), label=_("Screenshots"), min_num=1, max_num=6)
    tip = TipBlock(required=False)
    video = SnippetChooserBlock("bangban_media.VideoAsset", label=_("Video"), required=False)
    # Fractions of a second: a narration changes screen between whole seconds, and a chapter that starts on the
    # whole second before shows the previous step's screen and subtitle.
    video_start = blocks.FloatBlock(
        label=_("Video starts at (seconds)"),
        required=False,
        min_value=0,
        help_text=_(
            "When several steps share one video, where this step's part begins, e.g. 36.43; it becomes a chapter."
        ),
    )
    video_end = blocks.FloatBlock(
        label=_("Video ends at (seconds)"),
        required=False,
        min_value=0,
        help_text=_(
            "Optional. Where this step's part ends; empty: where the next step's part of the same video begins, "
            "else at the end of the video."
        ),
    )

    def clean(self, value):
        value = super().clean(value)
        start, end = value.get("video_start"), value.get("video_end")
        if end is not None and end <= (start or 0):
            raise StructBlockValidationError(
                block_errors={"video_end": ValidationError(_("The end must come after the start."))}
            )
        return value

    class Meta:
        icon = "list-ol"
        label = _("Step")
        # The collapsed step shows its title; cms/static/cms/admin/admin.css numbers the steps.
        label_format = "{title}"
        template = "tutorials/blocks/step.html"
