"""Admin registration for certificates and the "not re-read" report (imported by training.wagtail_hooks)."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from . import certificate_admin, certificate_selectors
from .certificate_services import REVOKE_ACTION


@hooks.register("register_admin_urls")
def register_certificate_urls():
    return [
        path("training/certificates/", certificate_admin.CertificateReportView.as_view(), name="training_certificates"),
        path(
            "training/certificates/results/",
            certificate_admin.CertificateReportView.as_view(results_only=True),
            name="training_certificates_results",
        ),
        path(
            "training/certificates/<int:certificate_id>/revoke/",
            certificate_admin.certificate_revoke_view,
            name="training_certificate_revoke",
        ),
        path("training/not-re-read/", certificate_admin.NotRereadReportView.as_view(), name="training_not_reread"),
        path(
            "training/not-re-read/results/",
            certificate_admin.NotRereadReportView.as_view(results_only=True),
            name="training_not_reread_results",
        ),
    ]


class ManagerMenuItem(MenuItem):
    def is_shown(self, request):
        return certificate_selectors.is_training_manager(user=request.user)


@hooks.register("register_reports_menu_item")
def register_certificates_menu_item():
    return ManagerMenuItem(_("Certificates"), reverse("training_certificates"), icon_name="tick-inverse", order=710)


@hooks.register("register_reports_menu_item")
def register_not_reread_menu_item():
    return ManagerMenuItem(
        _("Not re-read since the tutorial changed"), reverse("training_not_reread"), icon_name="warning", order=711
    )


@hooks.register("register_log_actions")
def register_certificate_actions(actions):
    actions.register_action(REVOKE_ACTION, _("Revoke certificate"), _("Certificate revoked"))
