from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from training.course_status import course_status_rebuild
from training.models import CourseStatus


class Command(BaseCommand):
    help = _("Rebuild every learner's course status row (what the training dashboards add up) from the source data.")

    def handle(self, *args, **options):
        course_status_rebuild()
        self.stdout.write(_("%(count)d course status rows.") % {"count": CourseStatus.objects.count()})
