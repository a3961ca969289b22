from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm

from .builder import build_refusal


class PackageForm(WagtailAdminModelForm):
    """Tutorial and channel are chosen once; a package of another tutorial or channel is a new package."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            for name in ("tutorial", "channel"):
                if name in self.fields:
                    self.fields[name].disabled = True
                    self.fields[name].required = False

    def clean(self):
        cleaned = super().clean()
        tutorial = cleaned.get("tutorial")
        if not self.instance.pk and tutorial is not None:
            refusal = build_refusal(tutorial=tutorial)
            if refusal:
                raise forms.ValidationError(refusal)
        return cleaned


class ChannelForm(WagtailAdminModelForm):
    """Only an administrator may let a webhook reach a loopback, private or link-local address."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        user = self.for_user
        if "allow_private_webhook" in self.fields and not (user is not None and user.is_superuser):
            self.fields["allow_private_webhook"].disabled = True
            self.fields["allow_private_webhook"].help_text = _("Only an administrator may change this.")

    def clean(self):
        from .delivery_forms import webhook_fields_clean

        cleaned = super().clean()
        webhook_fields_clean(self, cleaned)
        return cleaned
