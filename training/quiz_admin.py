"""The question bank and quizzes in the admin: viewsets, and the import (preview, then all or nothing) and export
screens. The same services run from ``manage.py question_import`` and ``question_export``."""

from __future__ import annotations

import base64
import secrets

import django_filters
from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from taggit.models import Tag
from wagtail import hooks
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.menu import MenuItem
from wagtail.admin.panels import FieldPanel, ObjectList, Panel
from wagtail.snippets.views.snippets import SnippetViewSet

from .forms import EDITOR_FIELDS, EDITOR_MAX_ROWS, ROW_SECTIONS, QuestionForm
from .models import Question, QuestionCategory, Quiz
from .quiz import BankFormat, write_xlsx_template
from .quiz_services import MAX_IMPORT_BYTES, QuizError, bank_export, bank_import

SESSION_KEY = "training_question_import"
CONTENT_TYPES = {
    BankFormat.GIFT: "text/plain; charset=utf-8",
    BankFormat.AIKEN: "text/plain; charset=utf-8",
    BankFormat.XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
EXTENSIONS = {BankFormat.GIFT: "gift", BankFormat.AIKEN: "txt", BankFormat.XLSX: "xlsx"}


class QuestionEditorPanel(Panel):
    """The answers of a question, one section per type (``training.forms.QuestionForm``), instead of its JSON."""

    def get_form_options(self):
        return {"fields": EDITOR_FIELDS}

    class BoundPanel(Panel.BoundPanel):
        template_name = "training/admin/question_editor.html"

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            form = self.form
            context["sections"] = [
                {
                    "name": name,
                    "types": " ".join(kinds),
                    "rows": form.rows[name],
                    "field": form[name],
                    "errors": form[name].errors,
                }
                for name, (kinds, _rows, _shown) in ROW_SECTIONS.items()
            ]
            context["form"] = form
            context["max_rows"] = EDITOR_MAX_ROWS
            return context

        @property
        def media(self):
            return forms.Media(js=["training/js/question_editor.js"], css={"all": ["training/css/question_editor.css"]})


class QuestionFilterSet(WagtailFilterSet):
    category = django_filters.ModelChoiceFilter(label=gettext_lazy("Category"), queryset=QuestionCategory.objects.all())
    type = django_filters.ChoiceFilter(label=gettext_lazy("Type"), choices=Question.Type.choices)
    tags = django_filters.ModelMultipleChoiceFilter(
        label=gettext_lazy("Tags"),
        field_name="tags",
        queryset=Tag.objects.filter(training_questiontag_items__isnull=False).distinct().order_by("name"),
    )

    class Meta:
        model = Question
        fields = ["category", "type", "tags"]


class QuestionViewSet(SnippetViewSet):
    model = Question
    icon = "help"
    menu_label = gettext_lazy("Question bank")
    list_display = ["__str__", "type", "category", "updated_at"]
    filterset_class = QuestionFilterSet
    search_fields = ["text", "title"]
    edit_handler = ObjectList(
        [
            FieldPanel("category"),
            FieldPanel("type"),
            FieldPanel("title"),
            FieldPanel("text"),
            QuestionEditorPanel(heading=gettext_lazy("Answers")),
            FieldPanel("feedback"),
            FieldPanel("tags"),
        ],
        base_form_class=QuestionForm,
    )


class QuestionCategoryViewSet(SnippetViewSet):
    model = QuestionCategory
    icon = "folder-open-inverse"
    menu_label = gettext_lazy("Question categories")
    list_display = ["name"]
    search_fields = ["name"]


class QuizViewSet(SnippetViewSet):
    model = Quiz
    icon = "tick-inverse"
    menu_label = gettext_lazy("Quizzes")
    list_display = ["title", "pass_mark", "attempts_limit", "time_limit_minutes", "grading_method"]
    search_fields = ["title"]


# Import and export ----------------------------------------------------------------------------------------------


def can_manage_bank(user) -> bool:
    return user.has_perm("training.add_question") and user.has_perm("training.add_questioncategory")


FORMAT_CHOICES = [("", gettext_lazy("Guess from the file")), *[(f.value, f.value.upper()) for f in BankFormat]]


class QuestionImportForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Question file (GIFT, Aiken or XLSX)"),
        help_text=gettext_lazy("A file with any error imports nothing: the errors are listed with their lines."),
    )
    format = forms.ChoiceField(label=gettext_lazy("Format"), choices=FORMAT_CHOICES, required=False)
    category = forms.CharField(
        label=gettext_lazy("Category"),
        required=False,
        max_length=200,
        help_text=gettext_lazy("For questions the file puts in no category. Use / for a sub-category."),
    )


class QuestionExportForm(forms.Form):
    format = forms.ChoiceField(label=gettext_lazy("Format"), choices=[(f.value, f.value.upper()) for f in BankFormat])
    category = forms.ModelChoiceField(
        label=gettext_lazy("Category"),
        queryset=QuestionCategory.objects.all(),
        required=False,
        empty_label=gettext_lazy("All categories"),
    )


def question_import(request):
    if not can_manage_bank(request.user):
        raise PermissionDenied
    context = {"form": QuestionImportForm(), "result": None, "errors": None}
    if request.method == "POST" and request.POST.get("confirm"):
        stored = request.session.get(SESSION_KEY)
        if not stored or stored.get("token") != request.POST["confirm"]:
            messages.error(request, _("The preview has expired: upload the file again."))
            return redirect("training_question_import")
        result = bank_import(
            data=base64.b64decode(stored["content"]),
            filename=stored["filename"],
            format=stored["format"] or None,
            category=stored["category"],
        )
        if not result.ok:
            context["errors"] = result.errors
        else:
            del request.session[SESSION_KEY]
            messages.success(request, _("Imported %(count)d questions.") % {"count": len(result.created)})
            return redirect("wagtailsnippets_training_question:list")
    elif request.method == "POST":
        form = QuestionImportForm(request.POST, request.FILES)
        context["form"] = form
        if form.is_valid():
            upload = form.cleaned_data["file"]
            if upload.size > MAX_IMPORT_BYTES:
                context["errors"] = [(0, _("The file is larger than 5 MB."))]
            else:
                content = upload.read()
                result = bank_import(
                    data=content,
                    filename=upload.name,
                    format=form.cleaned_data["format"] or None,
                    category=form.cleaned_data["category"],
                    dry_run=True,
                )
                context["result"] = result
                context["errors"] = result.errors
                if result.ok:
                    token = secrets.token_urlsafe(16)
                    request.session[SESSION_KEY] = {
                        "token": token,
                        "filename": upload.name,
                        "format": form.cleaned_data["format"],
                        "category": form.cleaned_data["category"],
                        "content": base64.b64encode(content).decode("ascii"),
                    }
                    context["token"] = token
    context["export_form"] = QuestionExportForm()
    return TemplateResponse(request, "training/admin/question_import.html", context)


def question_export(request):
    if not request.user.has_perm("training.view_question"):
        raise PermissionDenied
    form = QuestionExportForm(request.GET)
    if not form.is_valid():
        messages.error(request, _("Choose a format to export."))
        return redirect("training_question_import")
    fmt = BankFormat(form.cleaned_data["format"])
    category = form.cleaned_data["category"]
    try:
        content = bank_export(format=fmt, category=category.name if category else None)
    except QuizError as error:
        messages.error(request, str(error))
        return redirect("training_question_import")
    response = HttpResponse(content, content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="questions.{EXTENSIONS[fmt]}"'
    return response


def question_template(request):
    if not request.user.has_perm("training.view_question"):
        raise PermissionDenied
    response = HttpResponse(write_xlsx_template(), content_type=CONTENT_TYPES[BankFormat.XLSX])
    response["Content-Disposition"] = 'attachment; filename="question-bank-template.xlsx"'
    return response


@hooks.register("register_admin_urls")
def register_question_urls():
    return [
        path("training/import-questions/", question_import, name="training_question_import"),
        path("training/export-questions/", question_export, name="training_question_export"),
        path("training/question-template/", question_template, name="training_question_template"),
    ]


class QuestionImportMenuItem(MenuItem):
    def is_shown(self, request):
        return can_manage_bank(request.user)


@hooks.register("register_admin_menu_item")
def register_question_import_menu_item():
    return QuestionImportMenuItem(
        gettext_lazy("Import questions"), reverse("training_question_import"), icon_name="upload", order=252
    )
