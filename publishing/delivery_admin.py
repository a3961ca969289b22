"""The webhook delivery log in the admin (Reports → Webhook deliveries), each delivery's tries, and "retry now"."""

import django_filters
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST
from wagtail import hooks
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.tables import Column, DateColumn, StatusTagColumn, TitleColumn
from wagtail.admin.views.reports import ReportView
from wagtail.permission_policies import ModelPermissionPolicy

from .delivery_services import delivery_retry_now
from .models import Delivery


class DeliveryFilterSet(WagtailFilterSet):
    status = django_filters.ChoiceFilter(label=_("Status"), choices=Delivery.Status.choices)
    package = django_filters.NumberFilter(label=_("Delivered package"), field_name="publication__package_id")

    class Meta:
        model = Delivery
        fields = ["status", "package"]


class TriesColumn(Column):
    cell_template_name = "publishing/admin/delivery_tries_cell.html"


class DeliveryReportView(ReportView):
    page_title = _("Webhook deliveries")
    header_icon = "resubmit"
    index_url_name = "publishing_delivery_log"
    index_results_url_name = "publishing_delivery_log_results"
    permission_policy = ModelPermissionPolicy(Delivery)
    permission_required = "view"
    filterset_class = DeliveryFilterSet
    default_ordering = "-created_at"
    columns = [
        TitleColumn(
            "package",
            label=_("Delivered package"),
            accessor="publication.package",
            get_url=lambda delivery: reverse("publishing_delivery_detail", args=(delivery.pk,)),
        ),
        Column("url", label=_("Webhook URL")),
        StatusTagColumn(
            "status", label=_("Status"), accessor="get_status_display", primary=lambda d: d.status == "delivered"
        ),
        TriesColumn("tries", label=_("Tries"), accessor="pk"),
        Column("last_error", label=_("Last error")),
        DateColumn("next_try_at", label=_("Next try")),
        DateColumn("created_at", label=_("Queued at"), sort_key="created_at"),
    ]
    list_export = ["pk", "publication_id", "url", "status", "attempts", "last_error", "next_try_at", "created_at"]

    def get_filename(self):
        return "webhook-deliveries"

    def get_queryset(self):
        return Delivery.objects.select_related(
            "publication__package__tutorial", "publication__channel"
        ).prefetch_related("tries")


def delivery_detail(request: HttpRequest, pk: int) -> HttpResponse:
    if not request.user.has_perm("publishing.view_delivery"):
        raise PermissionDenied
    delivery = get_object_or_404(
        Delivery.objects.select_related("publication__package__tutorial", "publication__channel"), pk=pk
    )
    return TemplateResponse(
        request,
        "publishing/admin/delivery_detail.html",
        {
            "delivery": delivery,
            "tries": delivery.tries.order_by("number"),
            "can_retry": delivery.status == Delivery.Status.FAILED
            and request.user.has_perm("publishing.change_delivery"),
        },
    )


@require_POST
def delivery_retry(request: HttpRequest, pk: int) -> HttpResponse:
    if not request.user.has_perm("publishing.change_delivery"):
        raise PermissionDenied
    delivery = get_object_or_404(Delivery, pk=pk)
    if delivery.status != Delivery.Status.FAILED:
        messages.warning(request, _("Only a failed delivery can be retried."))
    else:
        delivery = delivery_retry_now(delivery_id=delivery.pk)
        messages.success(request, _("The delivery is being tried again."))
    return redirect("publishing_delivery_detail", delivery.pk)


class DeliveryMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm("publishing.view_delivery")


@hooks.register("register_admin_urls")
def register_delivery_urls():
    return [
        path("reports/deliveries/", DeliveryReportView.as_view(), name="publishing_delivery_log"),
        path(
            "reports/deliveries/results/",
            DeliveryReportView.as_view(results_only=True),
            name="publishing_delivery_log_results",
        ),
        path("publishing/deliveries/<int:pk>/", delivery_detail, name="publishing_delivery_detail"),
        path("publishing/deliveries/<int:pk>/retry/", delivery_retry, name="publishing_delivery_retry"),
    ]


@hooks.register("register_reports_menu_item")
def register_delivery_menu_item():
    return DeliveryMenuItem(
        _("Webhook deliveries"), reverse("publishing_delivery_log"), icon_name="resubmit", order=720
    )
