from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PublishingConfig(AppConfig):
    name = "publishing"
    label = "publishing"
    verbose_name = _("Publishing")

    def ready(self) -> None:
        from .signal_handlers import register_signal_handlers

        register_signal_handlers()
