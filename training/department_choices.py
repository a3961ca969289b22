"""Form fields that offer departments by their path (two offices may share a name under different townships).

The labels come from one query for the whole tree (``selectors.department_labels``), whatever the number of
choices; the choices are sorted by label, so offices stand under their township.
"""

import django_filters
from django import forms
from django.forms.models import ModelChoiceIteratorValue
from django.utils.functional import cached_property
from django_filters import fields as filter_fields
from wagtail.admin.ui.tables import Column
from wagtail.snippets.views.chooser import (
    ChooseResultsView,
    ChooseView,
    SnippetChooserViewSet,
    SnippetChosenView,
)
from wagtail.snippets.widgets import AdminSnippetChooser

from . import selectors


class DepartmentPathIterator(forms.models.ModelChoiceIterator):
    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        labels = selectors.department_labels()
        departments = sorted(self.queryset, key=lambda department: labels.get(department.pk, department.name))
        for department in departments:
            value = ModelChoiceIteratorValue(self.field.prepare_value(department), department)
            yield (value, labels.get(department.pk, department.name))


def show_department_paths(field: forms.ModelChoiceField) -> None:
    """Make a form's department field (single or multiple) offer paths instead of bare names."""
    field.iterator = DepartmentPathIterator
    field.widget.choices = field.choices


class _DepartmentFilterIterator(filter_fields.ModelChoiceIterator, DepartmentPathIterator):
    pass


class DepartmentFilterField(filter_fields.ModelChoiceField):
    iterator = _DepartmentFilterIterator


class DepartmentFilter(django_filters.ModelChoiceFilter):
    field_class = DepartmentFilterField


class DepartmentChooseViewMixin:
    """The chooser modal lists departments by path (one query for the tree per page of results)."""

    @cached_property
    def department_labels(self) -> dict[int, str]:
        return selectors.department_labels()

    @property
    def title_column(self):
        column = super().title_column
        column.accessor = lambda department: self.department_labels.get(department.pk, department.name)
        return column


class DepartmentChooseView(DepartmentChooseViewMixin, ChooseView):
    pass


class DepartmentChooseResultsView(DepartmentChooseViewMixin, ChooseResultsView):
    pass


def department_label(department) -> str:
    return selectors.department_labels().get(department.pk, department.name)


class DepartmentChosenView(SnippetChosenView):
    def get_display_title(self, instance):
        return department_label(instance)


class DepartmentChooserWidget(AdminSnippetChooser):
    def get_display_title(self, instance):
        return department_label(instance)


class DepartmentChooserViewSet(SnippetChooserViewSet):
    """The chooser for a department's parent: paths in the list, in the answer and in the chosen value."""

    choose_view_class = DepartmentChooseView
    choose_results_view_class = DepartmentChooseResultsView
    chosen_view_class = DepartmentChosenView
    base_widget_class = DepartmentChooserWidget


class DepartmentPathColumn(Column):
    """A department's path in the admin's list of departments (one query for the tree per page)."""

    @cached_property
    def labels(self) -> dict[int, str]:
        return selectors.department_labels()

    def get_value(self, instance):
        return self.labels.get(instance.pk, instance.name)
