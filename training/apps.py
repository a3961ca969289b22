from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TrainingConfig(AppConfig):
    name = "training"
    label = "training"
    verbose_name = _("Training")

    def ready(self) -> None:
        from .quiz_signals import register_signal_handlers

        register_signal_handlers()

        from .staff_index_signals import register_signal_handlers as register_staff_index_handlers

        register_staff_index_handlers()

        from .course_status_signals import register_signal_handlers as register_course_status_handlers

        register_course_status_handlers()

        from .certificate_signals import register_signal_handlers as register_certificate_handlers

        register_certificate_handlers()
