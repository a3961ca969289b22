"""Managers' screens: the certificates of their departments' staff (revoke with a reason), and who has not re-read
a lesson whose tutorial changed. Both are Wagtail reports with CSV and XLSX export, scoped to the manager."""

from __future__ import annotations

import django_filters
from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.tables import Column, DateColumn, TitleColumn
from wagtail.admin.views.reports import ReportView

from . import certificate_selectors, selectors, updates
from .certificate_services import MAX_REASON_CHARS, CertificateError, certificate_revoke
from .models import Course, LessonProgress


class ManagerOnlyMixin:
    permission_policy = None

    def dispatch(self, request, *args, **kwargs):
        if not certificate_selectors.is_training_manager(user=request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class CertificateReportView(ManagerOnlyMixin, ReportView):
    page_title = gettext_lazy("Certificates")
    header_icon = "tick-inverse"
    index_url_name = "training_certificates"
    index_results_url_name = "training_certificates_results"
    default_ordering = "-issued_at"
    columns = [
        TitleColumn(
            "full_name",
            label=gettext_lazy("Name"),
            get_url=lambda certificate: reverse("training_certificate_revoke", args=[certificate.pk]),
        ),
        Column("course_title", label=gettext_lazy("Course"), sort_key="course_title"),
        Column("office", label=gettext_lazy("Issuing office")),
        DateColumn("issued_at", label=gettext_lazy("Issued"), sort_key="issued_at"),
        Column("printed_code", label=gettext_lazy("Verification code")),
        Column("state", label=gettext_lazy("State"), accessor=lambda c: _("Revoked") if c.revoked else _("Valid")),
    ]
    list_export = ["full_name", "course_title", "office", "issued_at", "printed_code", "revoked_at", "revoke_reason"]
    export_headings = {
        "full_name": gettext_lazy("Name"),
        "course_title": gettext_lazy("Course"),
        "office": gettext_lazy("Issuing office"),
        "issued_at": gettext_lazy("Issued"),
        "printed_code": gettext_lazy("Verification code"),
        "revoked_at": gettext_lazy("Revoked"),
        "revoke_reason": gettext_lazy("Reason for revoking"),
    }

    def get_filename(self):
        return "certificates"

    def get_base_queryset(self):
        return certificate_selectors.certificates_for_manager(user=self.request.user)


class RevokeForm(forms.Form):
    reason = forms.CharField(label=gettext_lazy("Reason"), max_length=MAX_REASON_CHARS)


def certificate_revoke_view(request, certificate_id: int):
    if not certificate_selectors.is_training_manager(user=request.user):
        raise PermissionDenied
    certificate = certificate_selectors.certificates_for_manager(user=request.user).filter(pk=certificate_id).first()
    if certificate is None:
        raise Http404
    form = RevokeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            certificate_revoke(certificate=certificate, user=request.user, reason=form.cleaned_data["reason"])
        except CertificateError as error:
            form.add_error("reason", str(error))
        else:
            messages.success(request, _("The certificate has been revoked."))
            return redirect("training_certificates")
    return TemplateResponse(
        request, "training/admin/certificate_revoke.html", {"certificate": certificate, "form": form}
    )


class NotRereadFilterSet(WagtailFilterSet):
    course = django_filters.ModelChoiceFilter(
        label=gettext_lazy("Course"), queryset=Course.objects.none(), method="keep", empty_label=gettext_lazy("All")
    )

    class Meta:
        model = LessonProgress
        fields = []

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, request=request, **kwargs)
        if request is not None:
            self.filters["course"].queryset = selectors.courses_for_manager(user=request.user).order_by("title")

    def keep(self, queryset, name, value):
        return queryset  # the rows are worked out per course in get_queryset


class NotRereadReportView(ManagerOnlyMixin, ReportView):
    """Per course and lesson: learners who completed a lesson whose tutorial changed since and have not re-read it."""

    page_title = gettext_lazy("Not re-read since the tutorial changed")
    header_icon = "warning"
    index_url_name = "training_not_reread"
    index_results_url_name = "training_not_reread_results"
    columns = [
        Column("name", label=gettext_lazy("Name")),
        Column("staff_number", label=gettext_lazy("Staff number")),
        Column("course", label=gettext_lazy("Course")),
        Column("lesson", label=gettext_lazy("Lesson")),
        Column("tutorial", label=gettext_lazy("Tutorial")),
        Column("changes", label=gettext_lazy("Changes")),
        DateColumn("completed_at", label=gettext_lazy("Completed")),
        DateColumn("changed_at", label=gettext_lazy("Changed")),
    ]
    list_export = ["name", "staff_number", "course", "lesson", "tutorial", "changes", "completed_at", "changed_at"]
    export_headings = {
        "name": gettext_lazy("Name"),
        "staff_number": gettext_lazy("Staff number"),
        "course": gettext_lazy("Course"),
        "lesson": gettext_lazy("Lesson"),
        "tutorial": gettext_lazy("Tutorial"),
        "changes": gettext_lazy("Changes"),
        "completed_at": gettext_lazy("Completed"),
        "changed_at": gettext_lazy("Changed"),
    }

    def get_filename(self):
        return "not-re-read"

    filterset_class = NotRereadFilterSet

    def filter_queryset(self, queryset):
        return queryset  # rows, not a queryset: get_queryset already applied the course

    def get_queryset(self):
        course = None
        if self.filters is not None:
            if not self.filters.is_valid():
                return []  # a course the manager may not see, or no course at all
            course = self.filters.form.cleaned_data.get("course")
        return updates.not_reread_for_manager(user=self.request.user, course_id=course.pk if course else None)
