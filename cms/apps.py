from django.apps import AppConfig


class CmsConfig(AppConfig):
    name = "cms"
    label = "cms"
    verbose_name = "Bangban site"

    def ready(self):
        from . import forms, workflow_names  # noqa: F401 - forms registers the StreamField form field
        from .signal_handlers import register_signal_handlers

        register_signal_handlers(self)
        workflow_names.register()
