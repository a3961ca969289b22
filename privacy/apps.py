from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PrivacyConfig(AppConfig):
    name = "privacy"
    label = "privacy"
    verbose_name = _("Personal-information guard")

    def ready(self) -> None:
        from .signal_handlers import register_signal_handlers

        register_signal_handlers()
