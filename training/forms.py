from django import forms
from django.contrib.auth import get_user_model, password_validation
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.widgets import AdminAutoHeightTextInput

from . import selectors
from .department_choices import show_department_paths
from .models import Department, StaffProfile
from .quiz.data import question_data, question_from_data
from .quiz.types import QuestionType
from .quiz_services import question_check
from .staff_import import _MOBILE, _STAFF_NUMBER


class DepartmentForm(WagtailAdminModelForm):
    """A manager adds and moves departments only below their own; a department never goes below itself."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.for_user is not None and "parent" in self.fields:
            scope = selectors.manager_department_ids(user=self.for_user)
            if scope is not None:
                self.fields["parent"].queryset = Department.objects.filter(pk__in=scope)
                self.fields["parent"].required = True
        if "parent" in self.fields:
            show_department_paths(self.fields["parent"])

    def clean_parent(self):
        parent = self.cleaned_data.get("parent")
        if parent is not None and self.instance.pk:
            if parent.pk in selectors.department_subtree_ids(root_ids={self.instance.pk}):
                raise ValidationError(_("A department cannot be part of itself or of a department below it."))
        return parent


class StaffProfileForm(WagtailAdminModelForm):
    """Adding a staff member by hand makes their sign-in account (the staff number is the sign-in name)."""

    new_password = forms.CharField(
        label=_("New sign-in password"),
        required=False,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("Give the staff member a password to sign in to their learning with; leave empty to keep it."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.for_user is not None and "departments" in self.fields:
            self.fields["departments"].queryset = selectors.departments_for_manager(user=self.for_user)
        if "departments" in self.fields:
            show_department_paths(self.fields["departments"])
        if self.instance.pk and "staff_number" in self.fields:
            self.fields["staff_number"].disabled = True

    def clean_staff_number(self):
        number = self.cleaned_data["staff_number"].strip()
        if not _STAFF_NUMBER.fullmatch(number):
            raise ValidationError(_("Use letters, digits, '-', '_' and '.' only."))
        if not self.instance.pk and get_user_model().objects.filter(username=number).exists():
            raise ValidationError(_("This staff number is already the sign-in name of another account."))
        return number

    def clean_mobile(self):
        mobile = self.cleaned_data.get("mobile", "").replace(" ", "").replace("-", "")
        if mobile and not _MOBILE.fullmatch(mobile):
            raise ValidationError(_("Enter an 11-digit mainland mobile number."))
        return mobile

    def clean_new_password(self):
        password = self.cleaned_data.get("new_password")
        if password:
            password_validation.validate_password(password, self.instance.user if self.instance.pk else None)
        return password

    def save(self, commit=True):
        with transaction.atomic():
            profile = super().save(commit=False)
            if not profile.pk:
                user = get_user_model()(username=profile.staff_number)
                user.set_unusable_password()
                user.save()
                from django.contrib.auth.models import Group

                from cms import roles

                user.groups.add(Group.objects.get(name=roles.STAFF_LEARNERS))
                profile.user = user
            if password := self.cleaned_data.get("new_password"):
                profile.user.set_password(password)
                profile.user.save(update_fields=["password"])
            if commit:
                profile.save()
                self.save_m2m()
        return profile

    class Meta:
        model = StaffProfile
        fields = ["name", "staff_number", "mobile", "departments"]


class CourseForm(WagtailAdminModelForm):
    """The audience offered to a manager is their own departments and people."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "audience_departments" in self.fields:
            show_department_paths(self.fields["audience_departments"])
        if self.for_user is None:
            return
        scope = selectors.manager_department_ids(user=self.for_user)
        if scope is None or selectors.reviews_courses(user=self.for_user):
            return
        # What the course already names stays selectable, so a manager can edit a course shared with others.
        current_departments, current_people = set(), set()
        if self.instance.pk:
            current_departments = {d.pk for d in self.instance.audience_departments.all()}
            current_people = {p.pk for p in self.instance.audience_people.all()}
        if "audience_departments" in self.fields:
            self.fields["audience_departments"].queryset = Department.objects.filter(pk__in=scope | current_departments)
            show_department_paths(self.fields["audience_departments"])
        if "audience_people" in self.fields:
            people = set(selectors.staff_for_manager(user=self.for_user).values_list("pk", flat=True))
            self.fields["audience_people"].queryset = StaffProfile.objects.filter(pk__in=people | current_people)


# The question editor: one section of fields per question type instead of the raw ``data`` JSON ---------------------

EDITOR_MAX_ROWS = 10


class ChoiceRowForm(forms.Form):
    """An option of a choice question or an accepted short answer; a blank row is left out."""

    text = forms.CharField(label=_("Text"), required=False, widget=AdminAutoHeightTextInput)
    weight = forms.DecimalField(label=_("Weight (%)"), required=False, min_value=-100, max_value=100)
    feedback = forms.CharField(label=_("Feedback"), required=False, widget=AdminAutoHeightTextInput)

    def clean(self):
        cleaned = super().clean()
        text = (cleaned.get("text") or "").strip()
        if not text and (cleaned.get("weight") or (cleaned.get("feedback") or "").strip()):
            self.add_error("text", _("Fill in the text, or clear the row."))
        return cleaned

    @property
    def blank(self) -> bool:
        cleaned = getattr(self, "cleaned_data", {})
        words = any(str(cleaned.get(name) or "").strip() for name in ("text", "feedback"))
        return not words and not cleaned.get("weight")

    def row(self) -> dict:
        weight = self.cleaned_data.get("weight")
        return {
            "text": self.cleaned_data["text"].strip(),
            "weight": str(weight if weight is not None else 0),
            "feedback": self.cleaned_data.get("feedback", "").strip(),
        }


class PairRowForm(forms.Form):
    """A matching pair; an answer without a prompt is a distractor."""

    prompt = forms.CharField(label=_("Prompt"), required=False, widget=AdminAutoHeightTextInput)
    answer = forms.CharField(label=_("Matching answer"), required=False, widget=AdminAutoHeightTextInput)

    def clean(self):
        cleaned = super().clean()
        if (cleaned.get("prompt") or "").strip() and not (cleaned.get("answer") or "").strip():
            self.add_error("answer", _("A matching pair has no answer."))
        return cleaned

    @property
    def blank(self) -> bool:
        cleaned = getattr(self, "cleaned_data", {})
        return not any((cleaned.get(name) or "").strip() for name in ("prompt", "answer"))

    def row(self) -> dict:
        return {"prompt": self.cleaned_data["prompt"].strip(), "answer": self.cleaned_data["answer"].strip()}


ChoiceRows = forms.formset_factory(ChoiceRowForm, extra=0, max_num=200, absolute_max=200)
PairRows = forms.formset_factory(PairRowForm, extra=0, max_num=200, absolute_max=200)

# The sections of the editor: the question types each serves, its key in ``data`` (also the name of the hidden field
# that carries the section's own errors) and its row formset.
ROW_SECTIONS = {
    "choices": ((QuestionType.SINGLE, QuestionType.MULTIPLE), ChoiceRows, 4),
    "answers": ((QuestionType.SHORT_ANSWER,), ChoiceRows, 2),
    "pairs": ((QuestionType.MATCHING,), PairRows, 3),
}
TRUE_FALSE_FIELDS = ["answer", "right_feedback", "wrong_feedback"]
EDITOR_FIELDS = [*ROW_SECTIONS, *TRUE_FALSE_FIELDS]


def _section_of(kind: str) -> str:
    for name, (kinds, _rows, _shown) in ROW_SECTIONS.items():
        if kind in kinds:
            return name
    return "answer"


class QuestionForm(WagtailAdminModelForm):
    """Edits a question's ``data`` through fields per type, turns them into the dict ``question_data`` writes and runs
    ``question_check``; each problem is attached to the field or the section it is about."""

    choices = forms.CharField(required=False, widget=forms.HiddenInput)
    answers = forms.CharField(required=False, widget=forms.HiddenInput)
    pairs = forms.CharField(required=False, widget=forms.HiddenInput)
    answer = forms.TypedChoiceField(
        label=_("The statement is"),
        choices=[("true", _("True")), ("false", _("False"))],
        coerce=lambda value: value == "true",
        initial="true",
        required=False,
        widget=forms.RadioSelect,
    )
    right_feedback = forms.CharField(label=_("Feedback for a right answer"), required=False, widget=forms.Textarea)
    wrong_feedback = forms.CharField(label=_("Feedback for a wrong answer"), required=False, widget=forms.Textarea)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        stored = self.instance.data if self.instance.pk and isinstance(self.instance.data, dict) else {}
        kind = self.instance.type if self.instance.pk else ""
        if kind == QuestionType.TRUE_FALSE and not self.is_bound:
            self.initial["answer"] = "true" if stored.get("answer", True) else "false"
            self.initial["right_feedback"] = stored.get("right_feedback", "")
            self.initial["wrong_feedback"] = stored.get("wrong_feedback", "")
        self.rows = {}
        for name, (kinds, rows_class, shown) in ROW_SECTIONS.items():
            initial = []
            if kind in kinds and not self.is_bound:
                initial = [self._initial_row(name, row) for row in stored.get(name, ()) if isinstance(row, dict)]
            initial += [{}] * max(shown - len(initial), 1 if len(initial) < EDITOR_MAX_ROWS else 0)
            self.rows[name] = rows_class(self.data if self.is_bound else None, initial=initial, prefix=name)

    @staticmethod
    def _initial_row(name: str, row: dict) -> dict:
        if name == "pairs":
            return {"prompt": row.get("prompt", ""), "answer": row.get("answer", "")}
        return {"text": row.get("text", ""), "weight": str(row.get("weight", 0)), "feedback": row.get("feedback", "")}

    def clean(self):
        cleaned = super().clean()
        kind = cleaned.get("type")
        if not kind:
            return cleaned
        section = _section_of(kind)
        data = self._section_data(section)
        if data is None:
            return cleaned
        text = cleaned.get("text") or ""
        for problem in question_check(type=kind, data=data, text=text or "-"):
            self.add_error(section, problem)
        if not self.errors:
            question = question_from_data(kind, data, text=text)
            self.cleaned_data["data"] = question_data(question)
            self.instance.data = self.cleaned_data["data"]
        return cleaned

    def _section_data(self, section: str) -> dict | None:
        """The ``data`` dict of the chosen type, or ``None`` when a row has errors (they show on the row)."""
        if section == "answer":
            return {
                "answer": self.cleaned_data.get("answer") is not False,
                "right_feedback": (self.cleaned_data.get("right_feedback") or "").strip(),
                "wrong_feedback": (self.cleaned_data.get("wrong_feedback") or "").strip(),
            }
        rows = self.rows[section]
        if not rows.is_valid():
            if rows.non_form_errors():
                self.add_error(section, rows.non_form_errors())
            else:
                self.add_error(section, _("Correct the rows marked below."))
            return None
        kept = [form for form in rows.forms if not form.blank]
        if section == "pairs":
            seen = set()
            for form in kept:
                prompt = form.cleaned_data["prompt"].strip()
                if prompt and prompt in seen:
                    form.add_error("prompt", _("Two matching pairs have the same prompt."))
                seen.add(prompt)
            if not rows.is_valid():
                self.add_error(section, _("Correct the rows marked below."))
                return None
        return {section: [form.row() for form in kept]}
