"""Training managers' dashboards in the admin (Wagtail ReportViews: filters, pagination, CSV and XLSX export), each
a bar chart beside its table, and the overdue list with its "send reminders" action."""

from __future__ import annotations

import django_filters
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.functional import lazy
from django.utils.http import urlencode
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.tables import Column, DateColumn, TitleColumn
from wagtail.admin.views.reports import ReportView
from wagtail.admin.widgets import HeaderButton
from wagtail.permission_policies import ModelPermissionPolicy

from . import dashboards
from .charts import Item, bar_chart
from .department_choices import DepartmentFilter
from .models import Course, Department, Question, Quiz

capfirst_lazy = lazy(capfirst, str)


def _departments(request):
    return dashboards.dashboard_departments(user=request.user) if request else Department.objects.none()


def _courses(request):
    return dashboards.dashboard_courses(user=request.user) if request else Course.objects.none()


class DashboardFilterSet(WagtailFilterSet):
    department = DepartmentFilter(label=gettext_lazy("Department"), queryset=_departments, method="keep")
    course = django_filters.ModelChoiceFilter(label=gettext_lazy("Course"), queryset=_courses, method="keep")

    class Meta:
        model = Department
        fields = []

    def keep(self, queryset, name, value):
        return queryset


def _quizzes(request):
    return dashboards.dashboard_quizzes(user=request.user) if request else Quiz.objects.none()


class QuestionFilterSet(WagtailFilterSet):
    quiz = django_filters.ModelChoiceFilter(
        label=capfirst_lazy(Quiz._meta.verbose_name), queryset=_quizzes, method="keep"
    )
    department = DepartmentFilter(label=gettext_lazy("Department"), queryset=_departments, method="keep")

    class Meta:
        model = Department
        fields = []

    def keep(self, queryset, name, value):
        return queryset


class DashboardColumn(Column):
    class Media:
        css = {"all": ["training/css/dashboard.css"]}


class ScoreColumn(Column):
    """An average score; where nobody has finished an attempt there is none, shown as a dash rather than a zero
    (the exports leave the cell empty)."""

    def get_value(self, instance):
        value = super().get_value(instance)
        return NO_SCORE if value is None else value


NO_SCORE = "—"


def can_view_dashboards(user) -> bool:
    return user.has_perm("training.view_course") and user.has_perm("training.view_staffprofile")


class BaseDashboardView(ReportView):
    results_template_name = "training/admin/dashboard_results.html"
    permission_policy = ModelPermissionPolicy(Course)
    permission_required = "view"
    filterset_class = DashboardFilterSet
    paginate_by = 100
    header_icon = "table"

    def user_has_permission(self, permission):
        return can_view_dashboards(self.request.user)

    @property
    def chosen(self) -> dict:
        data = self.filters.form.cleaned_data if self.filters and self.filters.is_valid() else {}
        department, course = data.get("department"), data.get("course")
        return {"department_id": department.pk if department else None, "course_id": course.pk if course else None}

    def load(self):
        try:
            return dashboards.completion_dashboard(user=self.request.user, **self.chosen)
        except dashboards.DashboardScopeError as error:
            raise PermissionDenied from error

    def get_filtered_queryset(self):
        self.dashboard = self.load()
        return self.rows(self.dashboard)

    def rows(self, dashboard):
        raise NotImplementedError

    def query_for(self, **changes) -> str:
        chosen = {**self.chosen, **changes}
        params = {"department": chosen["department_id"] or "", "course": chosen["course_id"] or ""}
        return urlencode({key: value for key, value in params.items() if value})

    def chart_items(self, rows):
        return [
            Item(
                label=row.label,
                parts=(
                    ("done", row.percent, _("Completed: %(count)s") % {"count": row.completed}),
                    ("overdue", row.overdue_percent, _("Overdue: %(count)s") % {"count": row.overdue}),
                ),
                text=f"{row.percent}%",
                href=self.row_url(row),
            )
            for row in rows
        ]

    def row_url(self, row) -> str:
        return ""

    def get_context_data(self, *args, **kwargs):
        context = super().get_context_data(*args, **kwargs)
        total = self.dashboard.total
        context["chart"] = bar_chart(title=str(self.page_title), items=self.chart_items(self.object_list))
        context["legend"] = [("done", _("Finished")), ("overdue", _("Overdue"))]
        context["summary"] = _(
            "%(label)s: %(assigned)s assigned, %(completed)s completed (%(percent)s%%), %(overdue)s overdue"
        ) % {
            "label": total.label or _("All your departments"),
            "assigned": total.assigned,
            "completed": total.completed,
            "percent": total.percent,
            "overdue": total.overdue,
        }
        return context

    def get_header_buttons(self):
        return [
            HeaderButton(label, url=f"{reverse(name)}?{self.query_for()}", icon_name=icon)
            for label, name, icon in (
                (_("By department"), "training_dashboard_departments", "folder-inverse"),
                (_("By course"), "training_dashboard_courses", "list-ol"),
                (_("Overdue"), "training_overdue", "warning"),
                (_("Quiz questions"), "training_dashboard_questions", "help"),
            )
            if name != self.index_url_name
        ]


FIGURE_COLUMNS = [
    DashboardColumn("assigned", label=gettext_lazy("Assigned")),
    Column("completed", label=gettext_lazy("Finished")),
    Column("percent", label=gettext_lazy("Completion (%)")),
    Column("overdue", label=gettext_lazy("Overdue")),
    ScoreColumn("average_score", label=gettext_lazy("Average score (%)")),
]
FIGURE_EXPORT = ["label", "assigned", "completed", "percent", "overdue", "average_score"]
FIGURE_HEADINGS = {
    "assigned": gettext_lazy("Assigned"),
    "completed": gettext_lazy("Finished"),
    "percent": gettext_lazy("Completion (%)"),
    "overdue": gettext_lazy("Overdue"),
    "average_score": gettext_lazy("Average score (%)"),
}


class DepartmentDashboardView(BaseDashboardView):
    """One row per department below the chosen one (each rolled up over its own departments); a row opens it."""

    page_title = gettext_lazy("Training by department")
    index_url_name = "training_dashboard_departments"
    index_results_url_name = "training_dashboard_departments_results"
    list_export = FIGURE_EXPORT
    export_headings = {"label": gettext_lazy("Department"), **FIGURE_HEADINGS}

    @property
    def columns(self):
        return [
            TitleColumn("label", label=_("Department"), get_url=self.row_url),
            *FIGURE_COLUMNS,
        ]

    def row_url(self, row) -> str:
        return f"{reverse(self.index_url_name)}?{self.query_for(department_id=row.key)}"

    def rows(self, dashboard):
        return dashboard.departments

    def get_filename(self):
        return "training-by-department"


class CourseDashboardView(BaseDashboardView):
    page_title = gettext_lazy("Training by course")
    index_url_name = "training_dashboard_courses"
    index_results_url_name = "training_dashboard_courses_results"
    list_export = FIGURE_EXPORT
    export_headings = {"label": gettext_lazy("Course"), **FIGURE_HEADINGS}

    @property
    def columns(self):
        return [Column("label", label=_("Course")), *FIGURE_COLUMNS]

    def rows(self, dashboard):
        return dashboard.courses

    def get_filename(self):
        return "training-by-course"


class OverdueView(BaseDashboardView):
    """Who has not finished a course by its deadline (their own deadline where one is set)."""

    results_template_name = "wagtailadmin/reports/base_report_results.html"
    page_title = gettext_lazy("Overdue training")
    header_icon = "warning"
    index_url_name = "training_overdue"
    index_results_url_name = "training_overdue_results"
    columns = [
        DashboardColumn("name", label=gettext_lazy("Name")),
        Column("staff_number", label=gettext_lazy("Staff number")),
        Column("course_title", label=gettext_lazy("Course")),
        DateColumn("deadline", label=gettext_lazy("Deadline")),
    ]
    list_export = ["name", "staff_number", "course_title", "deadline"]
    export_headings = {
        "name": gettext_lazy("Name"),
        "staff_number": gettext_lazy("Staff number"),
        "course_title": gettext_lazy("Course"),
        "deadline": gettext_lazy("Deadline"),
    }

    def get_filtered_queryset(self):
        try:
            return dashboards.overdue_assignments(user=self.request.user, **self.chosen)
        except dashboards.DashboardScopeError as error:
            raise PermissionDenied from error

    def get_context_data(self, *args, **kwargs):
        return ReportView.get_context_data(self, *args, **kwargs)

    def get_filename(self):
        return "overdue-training"

    def get_header_buttons(self):
        buttons = super().get_header_buttons()
        buttons.append(
            HeaderButton(
                _("Send reminders"), url=f"{reverse('training_send_reminders')}?{self.query_for()}", icon_name="mail"
            )
        )
        return buttons


class QuestionDashboardView(ReportView):
    """Per question of a quiz: the share answered right (facility) and the wrong answer chosen most often."""

    results_template_name = "training/admin/dashboard_results.html"
    page_title = gettext_lazy("Quiz questions")
    header_icon = "help"
    index_url_name = "training_dashboard_questions"
    index_results_url_name = "training_dashboard_questions_results"
    permission_policy = ModelPermissionPolicy(Course)
    permission_required = "view"
    filterset_class = QuestionFilterSet
    paginate_by = 100
    columns = [
        DashboardColumn("label", label=capfirst_lazy(Question._meta.verbose_name)),
        Column("type", label=capfirst_lazy(Question._meta.get_field("type").verbose_name)),
        Column("answers", label=gettext_lazy("Answers given")),
        Column("facility", label=gettext_lazy("Facility (% right)")),
        Column("wrong_answer", label=gettext_lazy("Most chosen wrong answer")),
        Column("wrong_count", label=gettext_lazy("Chosen by")),
    ]
    list_export = ["label", "type", "answers", "correct", "facility", "wrong_answer", "wrong_count"]
    export_headings = {
        "label": capfirst_lazy(Question._meta.verbose_name),
        "type": capfirst_lazy(Question._meta.get_field("type").verbose_name),
        "answers": gettext_lazy("Answers given"),
        "correct": gettext_lazy("Right"),
        "facility": gettext_lazy("Facility (% right)"),
        "wrong_answer": gettext_lazy("Most chosen wrong answer"),
        "wrong_count": gettext_lazy("Chosen by"),
    }

    def user_has_permission(self, permission):
        return can_view_dashboards(self.request.user)

    def get_filtered_queryset(self):
        data = self.filters.form.cleaned_data if self.filters and self.filters.is_valid() else {}
        quiz = data.get("quiz") or dashboards.dashboard_quizzes(user=self.request.user).first()
        department = data.get("department")
        if quiz is None:
            self.dashboard = None
            return []
        try:
            self.dashboard = dashboards.question_dashboard(
                user=self.request.user, quiz_id=quiz.pk, department_id=department.pk if department else None
            )
        except dashboards.DashboardScopeError as error:
            raise PermissionDenied from error
        return self.dashboard.rows

    def get_context_data(self, *args, **kwargs):
        context = super().get_context_data(*args, **kwargs)
        items = [
            Item(
                label=row.label,
                parts=(("correct", row.facility, _("Right: %(count)s") % {"count": row.correct}),),
                text=f"{row.facility}%",
            )
            for row in self.object_list
        ]
        context["chart"] = bar_chart(title=str(self.page_title), items=items)
        context["legend"] = [("correct", _("Answered right"))]
        if self.dashboard:
            context["summary"] = self.dashboard.quiz.title
        return context

    def get_filename(self):
        return "quiz-questions"


def send_reminders(request):
    """GET: how many people would be reminded; POST: queue the e-mails (one per learner, at most once a day)."""
    from . import reminders

    if not can_view_dashboards(request.user):
        raise PermissionDenied
    chosen = {}
    for key in ("department", "course"):
        value = (request.POST if request.method == "POST" else request.GET).get(key, "")
        if value:
            if not value.isdigit():
                raise PermissionDenied
            chosen[f"{key}_id"] = int(value)
    try:
        rows = dashboards.overdue_assignments(user=request.user, **chosen)
    except dashboards.DashboardScopeError as error:
        raise PermissionDenied from error
    people = {row.person_id for row in rows}
    if request.method == "POST":
        reminders.reminders_enqueue(manager=request.user, **chosen)
        messages.success(
            request,
            _("Reminders are being sent to %(count)s people with overdue training.") % {"count": len(people)},
        )
        query = urlencode({key.removesuffix("_id"): value for key, value in chosen.items()})
        return redirect(f"{reverse('training_overdue')}?{query}")
    context = {
        "people": len(people),
        "courses": len(rows),
        "department": chosen.get("department_id", ""),
        "course": chosen.get("course_id", ""),
    }
    return TemplateResponse(request, "training/admin/send_reminders.html", context)


def admin_urls():
    return [
        path(
            "training/dashboard/departments/", DepartmentDashboardView.as_view(), name="training_dashboard_departments"
        ),
        path(
            "training/dashboard/departments/results/",
            DepartmentDashboardView.as_view(results_only=True),
            name="training_dashboard_departments_results",
        ),
        path("training/dashboard/courses/", CourseDashboardView.as_view(), name="training_dashboard_courses"),
        path(
            "training/dashboard/courses/results/",
            CourseDashboardView.as_view(results_only=True),
            name="training_dashboard_courses_results",
        ),
        path("training/dashboard/questions/", QuestionDashboardView.as_view(), name="training_dashboard_questions"),
        path(
            "training/dashboard/questions/results/",
            QuestionDashboardView.as_view(results_only=True),
            name="training_dashboard_questions_results",
        ),
        path("training/overdue/", OverdueView.as_view(), name="training_overdue"),
        path("training/overdue/results/", OverdueView.as_view(results_only=True), name="training_overdue_results"),
        path("training/overdue/remind/", send_reminders, name="training_send_reminders"),
    ]
