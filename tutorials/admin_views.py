from django.contrib.auth.mixins import PermissionRequiredMixin
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView

from .selectors import step_feedback_summary


class StepFeedbackReportView(PermissionRequiredMixin, TemplateView):
    """Editors see, per tutorial and step, how many citizens found the step helpful."""

    permission_required = "tutorials.view_stepfeedback"
    template_name = "tutorials/admin/step_feedback_report.html"
    raise_exception = True

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["page_title"] = _("Step feedback")
        context["header_title"] = _("Step feedback")
        context["summary"] = step_feedback_summary()
        return context
