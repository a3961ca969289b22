from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MediaConfig(AppConfig):
    name = "media"
    label = "bangban_media"
    verbose_name = _("Media")

    def ready(self):
        from .signal_handlers import register_signal_handlers

        register_signal_handlers()
