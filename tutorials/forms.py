from django import forms
from wagtail.admin.forms import WagtailAdminPageForm

# Editor actions that send a page towards going live.
PUBLISHING_ACTIONS = ("action-publish", "action-submit", "action-workflow-action")


class TutorialPageForm(WagtailAdminPageForm):
    def clean(self):
        cleaned = super().clean()
        if any(action in self.data for action in PUBLISHING_ACTIONS) and "steps" in cleaned:
            from .models import TutorialPage, video_blocking_message

            probe = TutorialPage(steps=cleaned["steps"])
            blocking = probe.videos_blocking_publication()
            if blocking:
                self.add_error(None, video_blocking_message(blocking))
        return cleaned


class StepFeedbackForm(forms.Form):
    page = forms.IntegerField(min_value=1)
    step = forms.CharField(max_length=64)
    helpful = forms.TypedChoiceField(choices=[("yes", "yes"), ("no", "no")], coerce=lambda v: v == "yes")
