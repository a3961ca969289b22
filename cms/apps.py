from django.apps import AppConfig


class CmsConfig(AppConfig):
    name = "cms"
    label = "cms"
    verbose_name = "Bangban site"

    def ready(self):
        from . import forms  # noqa: F401 - registers the StreamField form field for every admin form
        from .signal_handlers import register_signal_handlers

        register_signal_handlers(self)
