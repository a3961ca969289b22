from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.log_actions import LogFormatter

from . import urls
from .services import MASK_ACTION, OVERRIDE_ACTION


@hooks.register("register_admin_urls")
def register_privacy_urls():
    return [path("privacy/", include((urls.urlpatterns, "privacy"), namespace="privacy"))]


@hooks.register("register_log_actions")
def register_privacy_actions(actions):
    @actions.register_action(OVERRIDE_ACTION)
    class OverrideFormatter(LogFormatter):
        label = _("Personal information overridden")

        def format_message(self, log_entry):
            data = log_entry.data or {}
            return _("Personal information %(masked)s (%(field)s of %(object)s) let through: %(reason)s") % {
                "masked": data.get("masked", ""),
                "field": data.get("field", ""),
                "object": data.get("object", ""),
                "reason": data.get("reason", ""),
            }

    @actions.register_action(MASK_ACTION)
    class MaskFormatter(LogFormatter):
        label = _("Personal information masked")

        def format_message(self, log_entry):
            data = log_entry.data or {}
            return _("Personal information %(masked)s masked") % {"masked": data.get("masked", "")}
