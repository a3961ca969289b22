from django import forms
from django.contrib.auth import get_user_model, password_validation
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm

from . import selectors
from .models import Department, StaffProfile
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
        if "audience_people" in self.fields:
            people = set(selectors.staff_for_manager(user=self.for_user).values_list("pk", flat=True))
            self.fields["audience_people"].queryset = StaffProfile.objects.filter(pk__in=people | current_people)
