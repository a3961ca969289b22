from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from publishing.delivery_services import deliveries_due


class Command(BaseCommand):
    help = _(
        "Queue every webhook delivery whose next try is due: for a task queue that cannot run tasks later, or after "
        "a worker died while sending. Safe to run at any time (e.g. every few minutes from cron)."
    )

    def handle(self, *args, **options):
        queued = deliveries_due()
        self.stdout.write(_("%(count)s deliveries queued.") % {"count": len(queued)})
