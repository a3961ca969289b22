"""The staff import screen: upload, preview with line-numbered errors, confirm (all rows or none)."""

from __future__ import annotations

import base64

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .staff_import import MAX_BYTES, StaffImportError, read_sheet, staff_import_apply, staff_import_plan

SESSION_KEY = "training_staff_import"


class StaffImportForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Staff sheet (.xlsx or .csv)"),
        help_text=gettext_lazy(
            "Columns: name, department (its full path, e.g. County/Township/Office; several separated by ';'), "
            "staff number, mobile (optional). Never include resident ID numbers."
        ),
    )


def can_import(user) -> bool:
    return user.has_perm("training.add_staffprofile") and user.has_perm("training.change_staffprofile")


def staff_import(request):
    if not can_import(request.user):
        raise PermissionDenied
    context = {"form": StaffImportForm(), "plan": None, "errors": None}
    if request.method == "POST" and request.POST.get("confirm"):
        stored = request.session.get(SESSION_KEY)
        if not stored or stored.get("token") != request.POST["confirm"]:
            messages.error(request, _("The preview has expired: upload the sheet again."))
            return redirect("training_staff_import")
        content = base64.b64decode(stored["content"])
        try:
            plan = staff_import_apply(filename=stored["filename"], content=content, user=request.user)
        except StaffImportError as error:
            context["errors"] = error.errors
        else:
            del request.session[SESSION_KEY]
            messages.success(
                request,
                _("Imported %(count)d staff: %(created)d new, %(updated)d updated.")
                % {"count": len(plan.rows), "created": plan.created, "updated": plan.updated},
            )
            return redirect("wagtailsnippets_training_staffprofile:list")
    elif request.method == "POST":
        form = StaffImportForm(request.POST, request.FILES)
        context["form"] = form
        if form.is_valid():
            upload = form.cleaned_data["file"]
            if upload.size > MAX_BYTES:
                context["errors"] = [(0, _("The file is larger than 5 MB."))]
            else:
                content = upload.read()
                try:
                    plan = staff_import_plan(rows=read_sheet(filename=upload.name, content=content), user=request.user)
                except StaffImportError as error:
                    context["errors"] = error.errors
                else:
                    context["plan"] = plan
                    context["errors"] = plan.errors
                    if plan.ok:
                        import secrets

                        token = secrets.token_urlsafe(16)
                        request.session[SESSION_KEY] = {
                            "token": token,
                            "filename": upload.name,
                            "content": base64.b64encode(content).decode("ascii"),
                        }
                        context["token"] = token
    return TemplateResponse(request, "training/admin/staff_import.html", context)
