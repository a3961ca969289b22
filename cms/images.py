from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from wagtail.images.fields import WagtailImageField
from wagtail.images.forms import BaseImageForm


class CheckedImageField(WagtailImageField):
    """Wagtail's image field, also refusing files whose header looks right but whose body is broken."""

    def check_image_pixel_size(self, f):
        try:
            super().check_image_pixel_size(f)
        except ValidationError:
            raise
        except Exception as exc:  # noqa: BLE001 - any decoder failure means the upload is not a usable image
            raise ValidationError(self.error_messages["invalid_image"], code="invalid_image") from exc


class ImageForm(BaseImageForm):
    # A declared field does not take Meta.widgets: Wagtail's file widget is given back so that choosing a file
    # fills an empty title from the file name (its w-sync controller and the wagtail:images-upload event).
    file = CheckedImageField(
        label=_("File"), widget=forms.FileInput(attrs=dict(BaseImageForm.Meta.widgets["file"].attrs))
    )
