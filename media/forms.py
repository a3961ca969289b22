import math

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm

from . import services
from .models import VideoAsset


class VideoAssetForm(WagtailAdminModelForm):
    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if upload and getattr(upload, "size", 0) == 0:
            raise forms.ValidationError(_("The file is empty."))
        if upload and upload.size > settings.VIDEO_MAX_BYTES:
            raise forms.ValidationError(
                _("The file is %(size)s; videos may be at most %(limit)s.")
                % {"size": filesizeformat(upload.size), "limit": filesizeformat(settings.VIDEO_MAX_BYTES)}
            )
        if self._replaces_original():
            try:
                services.video_replace_check(asset=self.instance)
            except ValidationError as error:
                raise forms.ValidationError(error.messages) from error
        return upload

    def _replaces_original(self) -> bool:
        return bool(self.instance.pk) and "file" in self.changed_data

    def save(self, commit=True):
        if commit and self._replaces_original():
            # A new original: the service starts processing over and removes the old files after the commit.
            return services.video_file_replace(asset=self.instance, user=self.for_user)
        return super().save(commit=commit)


def parse_seconds(value: str) -> float:
    """Accept 83, 83.5, 1:23 or 1:23.5 (and 0:01:23)."""
    value = value.strip().replace("，", ".").replace(",", ".")
    parts = value.split(":")
    if not value or len(parts) > 3:
        raise ValueError(value)
    seconds = 0.0
    for part in parts:
        seconds = seconds * 60 + float(part)
    # "nan", "inf" and "1e999" parse as floats but are no time in a video.
    if not math.isfinite(seconds) or seconds < 0:
        raise ValueError(value)
    return round(seconds, 2)


class VideoUploadForm(VideoAssetForm):
    """Uploading a video from a tutorial step's video chooser."""

    # The chooser opens inside the page editor, which has its own "title" field.
    prefix = "video-chooser-upload"

    class Meta:
        model = VideoAsset
        fields = ["title", "language", "file"]
