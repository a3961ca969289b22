from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from training.quiz_services import attempts_expire


class Command(BaseCommand):
    help = _(
        "Close the quiz attempts whose time limit has passed, with the answers saved before it (run it from cron, "
        "every few minutes: an attempt a learner never comes back to is otherwise closed only when next opened)."
    )

    def handle(self, *args, **options):
        closed = attempts_expire()
        self.stdout.write(_("%(count)d attempts closed.") % {"count": closed})
