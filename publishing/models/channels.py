from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel

from cms.terms import split_terms


class Channel(models.Model):
    """Where packages go (a video app, an official-account article, Weibo, the service hall's poster) and its limits."""

    class Kind(models.TextChoices):
        VERTICAL_VIDEO = "vertical_video", _("Short vertical video")
        ARTICLE = "article", _("Official-account article")
        WEIBO = "weibo", _("Weibo post")
        POSTER = "poster", _("Printed poster")

    class HashtagStyle(models.TextChoices):
        PREFIX = "prefix", _("#topic")
        WRAP = "wrap", _("#topic#")

    name = models.CharField(_("name"), max_length=60)
    slug = models.SlugField(_("slug"), max_length=40, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    width = models.PositiveIntegerField(_("cover width (px)"), default=1080)
    height = models.PositiveIntegerField(_("cover height (px)"), default=1920)
    max_video_seconds = models.PositiveIntegerField(_("length limit (seconds)"), null=True, blank=True)
    caption_max_chars = models.PositiveIntegerField(_("caption limit (characters)"), default=0)
    title_max_chars = models.PositiveIntegerField(_("title limit (characters)"), default=0)
    max_hashtags = models.PositiveSmallIntegerField(_("most hashtags"), default=0)
    hashtag_style = models.CharField(
        _("hashtag style"), max_length=8, choices=HashtagStyle.choices, default=HashtagStyle.PREFIX
    )
    link_in_caption = models.BooleanField(_("link in the caption"), default=False)
    hashtags = models.CharField(
        _("hashtags"), max_length=300, blank=True, help_text=_("Comma-separated topics added to every caption.")
    )
    webhook_url = models.URLField(_("webhook URL"), max_length=500, blank=True)
    webhook_secret = models.CharField(_("webhook secret"), max_length=200, blank=True)
    allow_private_webhook = models.BooleanField(
        _("allow a private webhook address"),
        default=False,
        help_text=_("Only administrators may allow a webhook to a loopback, private or link-local address."),
    )

    panels = [
        FieldPanel("name"),
        FieldPanel("slug"),
        FieldPanel("kind"),
        MultiFieldPanel(
            [
                FieldPanel("width"),
                FieldPanel("height"),
                FieldPanel("max_video_seconds"),
                FieldPanel("caption_max_chars"),
                FieldPanel("title_max_chars"),
                FieldPanel("max_hashtags"),
                FieldPanel("hashtag_style"),
                FieldPanel("link_in_caption"),
                FieldPanel("hashtags"),
            ],
            heading=_("Specs and defaults"),
        ),
        MultiFieldPanel(
            [FieldPanel("webhook_url"), FieldPanel("webhook_secret"), FieldPanel("allow_private_webhook")],
            heading=_("Delivery"),
        ),
    ]

    class Meta:
        ordering = ["name"]
        verbose_name = _("channel")
        verbose_name_plural = _("channels")

    def __str__(self) -> str:
        return self.name

    def hashtag_list(self) -> list[str]:
        return split_terms(self.hashtags)
