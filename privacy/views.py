import tempfile
from pathlib import Path

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from . import pictures, services
from .models import Finding, ImageMask, Source

VIEW_PERMISSION = "privacy.view_finding"


class OverrideForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Why may this number be published?"),
        widget=forms.Textarea(attrs={"rows": 3}),
        min_length=10,
        max_length=1000,
    )


class MaskForm(forms.Form):
    method = forms.ChoiceField(
        label=gettext_lazy("Cover with"), choices=ImageMask.Method.choices, widget=forms.RadioSelect
    )
    left = forms.IntegerField(label=gettext_lazy("Left"), min_value=0)
    top = forms.IntegerField(label=gettext_lazy("Top"), min_value=0)
    right = forms.IntegerField(label=gettext_lazy("Right"), min_value=1)
    bottom = forms.IntegerField(label=gettext_lazy("Bottom"), min_value=1)

    def clean(self):
        cleaned = super().clean()
        if {"left", "top", "right", "bottom"} <= cleaned.keys() and (
            cleaned["left"] >= cleaned["right"] or cleaned["top"] >= cleaned["bottom"]
        ):
            raise ValidationError(_("The right edge must be right of the left one, and the bottom below the top."))
        return cleaned


class VideoMaskForm(MaskForm):
    start = forms.FloatField(label=gettext_lazy("From second"), min_value=0)
    end = forms.FloatField(label=gettext_lazy("Until second"), min_value=0)

    def clean(self):
        cleaned = super().clean()
        if "start" in cleaned and "end" in cleaned and cleaned["start"] >= cleaned["end"]:
            raise ValidationError(_("The mask must end after it starts."))
        return cleaned


def _finding_for(request, pk: int) -> Finding:
    if not request.user.has_perm(VIEW_PERMISSION):
        raise PermissionDenied
    finding = get_object_or_404(Finding.objects.select_related("content_type"), pk=pk)
    if finding.content_object is None:
        raise Http404
    return finding


def _back(request, default: str = "wagtailadmin_home"):
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect(target)
    return redirect(default)


def finding_picture(request, pk: int):
    """The picture or video frame of a finding with its box drawn, for the findings panel."""
    finding = _finding_for(request, pk)
    obj = finding.content_object
    try:
        if finding.source == Source.IMAGE:
            with obj.open_file() as handle:
                body = pictures.image_with_box(handle.read(), finding.box)
        elif finding.source == Source.VIDEO:
            with tempfile.TemporaryDirectory(prefix="bangban-pii-frame-") as workdir:
                body = pictures.frame_with_box(
                    services.local_path(obj.file, Path(workdir)), second=finding.start or 0.0, box=finding.box
                )
        else:
            raise Http404
    except OSError as error:
        raise Http404(str(error)) from error
    response = HttpResponse(body, content_type="image/png")
    response["Cache-Control"] = "private, no-store"
    return response


@require_http_methods(["GET", "POST"])
def finding_override(request, pk: int):
    finding = _finding_for(request, pk)
    if not request.user.has_perm(services.OVERRIDE_PERMISSION):
        raise PermissionDenied
    form = OverrideForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        page = _page_from(request)
        try:
            services.finding_override(finding=finding, user=request.user, reason=form.cleaned_data["reason"], page=page)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The finding %(masked)s was overridden.") % {"masked": finding.masked})
            return _back(request)
    return TemplateResponse(
        request,
        "privacy/admin/override.html",
        {
            "finding": finding,
            "form": form,
            "next": request.GET.get("next") or request.POST.get("next", ""),
            "page_id": request.GET.get("page") or request.POST.get("page", ""),
            "page_title": _("Override a personal-information finding"),
        },
    )


def _page_from(request):
    from tutorials.models import TutorialPage

    page_id = request.POST.get("page") or request.GET.get("page")
    if page_id and str(page_id).isdigit():
        return TutorialPage.objects.filter(pk=int(page_id)).first()
    return None


@require_http_methods(["GET", "POST"])
def finding_mask(request, pk: int):
    from wagtail.images import get_image_model
    from wagtail.permissions import policy_registry

    permission_policy = policy_registry.get_by_type(get_image_model())
    finding = _finding_for(request, pk)
    if finding.source == Source.VIDEO:
        return _video_mask(request, finding)
    if finding.source != Source.IMAGE:
        raise Http404
    if not permission_policy.user_has_permission_for_instance(request.user, "change", finding.content_object):
        raise PermissionDenied
    left, top, right, bottom = finding.box or [0, 0, 1, 1]
    initial = {"method": ImageMask.Method.BOX, "left": left, "top": top, "right": right, "bottom": bottom}
    form = MaskForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.image_mask(
                finding=finding,
                user=request.user,
                method=data["method"],
                box=[data["left"], data["top"], data["right"], data["bottom"]],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request, _("The picture was masked; it is being scanned again to check the number is gone.")
            )
            return _back(request)
    return TemplateResponse(
        request,
        "privacy/admin/mask.html",
        {
            "finding": finding,
            "form": form,
            "next": request.GET.get("next") or request.POST.get("next", ""),
            "page_title": _("Mask personal information in a picture"),
        },
    )


def _video_mask(request, finding: Finding):
    if not request.user.has_perm("bangban_media.change_videoasset"):
        raise PermissionDenied
    left, top, right, bottom = finding.box or [0, 0, 1, 1]
    initial = {
        "method": ImageMask.Method.BOX,
        "left": left,
        "top": top,
        "right": right,
        "bottom": bottom,
        "start": finding.start,
        "end": finding.end,
    }
    form = VideoMaskForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.video_mask_request(
                finding=finding,
                user=request.user,
                method=data["method"],
                box=[data["left"], data["top"], data["right"], data["bottom"]],
                start=data["start"],
                end=data["end"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _(
                    "The video is being masked; its phone version and poster are made again and it is scanned "
                    "again. It cannot be published until that has finished."
                ),
            )
            return _back(request)
    return TemplateResponse(
        request,
        "privacy/admin/mask.html",
        {
            "finding": finding,
            "form": form,
            "next": request.GET.get("next") or request.POST.get("next", ""),
            "page_title": _("Mask personal information in a video"),
        },
    )
