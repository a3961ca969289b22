from django.core.exceptions import PermissionDenied
from django.urls import path, reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.panels import FieldPanel, ObjectList
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import DeleteView, EditView, IndexView, SnippetViewSet, SnippetViewSetGroup

from . import admin_views, certificate_hooks, dashboard_hooks, selectors  # noqa: F401 (*_hooks register hooks)
from .department_choices import DepartmentChooserViewSet, DepartmentPathColumn
from .forms import CourseForm, DepartmentForm, StaffProfileForm
from .models import Course, Department, StaffProfile
from .permissions import ScopedPermissionPolicy
from .quiz_admin import QuestionCategoryViewSet, QuestionViewSet, QuizViewSet

# Before the viewsets below make Wagtail's default policies for these models.
register_permission_policy(Department, ScopedPermissionPolicy(Department, scope=selectors.departments_for_manager))
register_permission_policy(StaffProfile, ScopedPermissionPolicy(StaffProfile, scope=selectors.staff_for_manager))


class ScopedObjectMixin:
    """Edit and delete only what the user's list shows them (``scope`` is a selector taking the user)."""

    scope = None

    def get_object(self, queryset=None):
        obj = super().get_object(queryset)
        if not type(self).scope(user=self.request.user).filter(pk=obj.pk).exists():
            raise PermissionDenied
        return obj


def scoped_views(scope):
    edit = type("ScopedEditView", (ScopedObjectMixin, EditView), {"scope": staticmethod(scope)})
    delete = type("ScopedDeleteView", (ScopedObjectMixin, DeleteView), {"scope": staticmethod(scope)})
    return edit, delete


class DepartmentIndexView(IndexView):
    @cached_property
    def columns(self):
        # Made per request: the column keeps the tree's labels for one page of results.
        return [*super().columns, DepartmentPathColumn("path", label=_("Path"))]


class DepartmentViewSet(SnippetViewSet):
    model = Department
    icon = "folder-inverse"
    menu_label = _("Departments")
    copy_view_enabled = False
    chooser_viewset_class = DepartmentChooserViewSet
    index_view_class = DepartmentIndexView
    list_display = ["name"]
    search_fields = ["name"]
    edit_view_class, delete_view_class = scoped_views(selectors.departments_for_manager)
    edit_handler = ObjectList([FieldPanel("name"), FieldPanel("parent")], base_form_class=DepartmentForm)

    def get_queryset(self, request):
        return selectors.departments_for_manager(user=request.user).select_related("parent")


class StaffProfileViewSet(SnippetViewSet):
    model = StaffProfile
    icon = "user"
    menu_label = _("Staff")
    copy_view_enabled = False
    list_display = ["name", "staff_number", "mobile"]
    search_fields = ["name", "staff_number"]
    edit_view_class, delete_view_class = scoped_views(selectors.staff_for_manager)
    edit_handler = ObjectList(
        [
            FieldPanel("name"),
            FieldPanel("staff_number"),
            FieldPanel("mobile"),
            FieldPanel("departments"),
            FieldPanel("new_password"),
        ],
        base_form_class=StaffProfileForm,
    )

    def get_queryset(self, request):
        return selectors.staff_for_manager(user=request.user)


class CourseEditView(ScopedObjectMixin, EditView):
    scope = staticmethod(selectors.courses_for_manager)

    def save_instance(self):
        # Approving or rejecting unchanged content must not add a revision by the reviewer, who would then count
        # as an author of the version under review.
        if self.action == "workflow-action" and not self.form.has_changed():
            self.new_revision = None
            return self.object
        return super().save_instance()


class CourseViewSet(SnippetViewSet):
    model = Course
    icon = "list-ol"
    menu_label = _("Courses")
    copy_view_enabled = False
    list_display = ["title", "deadline"]
    search_fields = ["title"]
    edit_view_class = CourseEditView
    _, delete_view_class = scoped_views(selectors.courses_for_manager)
    edit_handler = ObjectList(Course.panels, base_form_class=CourseForm)

    def get_queryset(self, request):
        return selectors.courses_for_manager(user=request.user)


class TrainingGroup(SnippetViewSetGroup):
    items = (
        CourseViewSet,
        DepartmentViewSet,
        StaffProfileViewSet,
        QuizViewSet,
        QuestionViewSet,
        QuestionCategoryViewSet,
    )
    menu_icon = "group"
    menu_label = _("Training")
    menu_name = "training"
    menu_order = 250


register_snippet(TrainingGroup)


@hooks.register("register_admin_urls")
def register_staff_import_url():
    return [path("training/import-staff/", admin_views.staff_import, name="training_staff_import")]


class StaffImportMenuItem(MenuItem):
    def is_shown(self, request):
        return admin_views.can_import(request.user)


@hooks.register("register_admin_menu_item")
def register_staff_import_menu_item():
    return StaffImportMenuItem(_("Import staff"), reverse("training_staff_import"), icon_name="upload", order=251)
