from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TutorialsConfig(AppConfig):
    name = "tutorials"
    label = "tutorials"
    verbose_name = _("Tutorials")

    def ready(self):
        from .signal_handlers import register_signal_handlers

        register_signal_handlers()
