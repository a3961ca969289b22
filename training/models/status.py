from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .courses import Course
from .people import StaffProfile


class CourseStatus(models.Model):
    """Where one person stands in one course they are assigned (through a department or by name): kept in step by
    ``training.course_status`` whenever progress, attempts, the course or the person's departments change."""

    person = models.ForeignKey(StaffProfile, on_delete=models.CASCADE, related_name="course_statuses")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="statuses")
    # Assigned by name (the course's audience people), not only through a department.
    direct = models.BooleanField(default=False)
    required_items = models.PositiveIntegerField(default=0)
    completed_items = models.PositiveIntegerField(default=0)
    complete = models.BooleanField(default=False)
    completed_at = models.DateTimeField(null=True, blank=True)
    # The person's own deadline override first, else the course's.
    deadline = models.DateField(null=True, blank=True)
    score = models.DecimalField(max_digits=7, decimal_places=2, null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("course status")
        verbose_name_plural = _("course statuses")
        constraints = [models.UniqueConstraint(fields=["person", "course"], name="training_status_one_per_course")]
        indexes = [models.Index(fields=["course", "person"]), models.Index(fields=["user", "course"])]

    def __str__(self) -> str:
        return f"{self.person_id}/{self.course_id}"
