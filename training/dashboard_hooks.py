"""Admin URLs and Reports menu entries of the training dashboards (imported by ``training.wagtail_hooks``)."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from . import dashboard_views


@hooks.register("register_admin_urls")
def register_dashboard_urls():
    return dashboard_views.admin_urls()


class DashboardMenuItem(MenuItem):
    def is_shown(self, request):
        return dashboard_views.can_view_dashboards(request.user)


@hooks.register("register_reports_menu_item")
def register_department_dashboard_menu_item():
    return DashboardMenuItem(
        _("Training by department"), reverse("training_dashboard_departments"), icon_name="folder-inverse", order=900
    )


@hooks.register("register_reports_menu_item")
def register_course_dashboard_menu_item():
    return DashboardMenuItem(
        _("Training by course"), reverse("training_dashboard_courses"), icon_name="list-ol", order=901
    )


@hooks.register("register_reports_menu_item")
def register_overdue_menu_item():
    return DashboardMenuItem(_("Overdue training"), reverse("training_overdue"), icon_name="warning", order=902)


@hooks.register("register_reports_menu_item")
def register_question_dashboard_menu_item():
    return DashboardMenuItem(_("Quiz questions"), reverse("training_dashboard_questions"), icon_name="help", order=903)
