from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import Panel

from .models import Finding


class FindingsPanel(Panel):
    """Personal information found in a tutorial, each where it is: the field or step, the picture with a box
    round the number, the video frame at its second; with mask and override links."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("heading", _("Personal information"))
        super().__init__(*args, **kwargs)

    class BoundPanel(Panel.BoundPanel):
        template_name = "privacy/admin/findings_panel.html"

        @property
        def media(self):
            return forms.Media(css={"all": ["privacy/findings.css"]})

        def get_context_data(self, parent_context=None):
            from . import selectors

            context = super().get_context_data(parent_context)
            page = self.instance
            if page is None or page.pk is None:
                return {**context, "rows": [], "scans": [], "saved": False}
            steps = {step_id: number for number, step_id in enumerate(page.step_ids(), start=1)}
            image_steps: dict[int, list[int]] = {}
            for number, block in enumerate(page.steps, start=1):
                for shot in block.value.get("screenshots") or []:
                    if shot.get("image") is not None:
                        image_steps.setdefault(shot["image"].pk, []).append(number)
            rows = []
            for finding in selectors.findings_for(page).exclude(status=Finding.Status.MASKED):
                place = selectors.FIELD_LABELS.get(finding.field, finding.field)
                if finding.step_id in steps:
                    place = _("step %(number)s %(place)s") % {"number": steps[finding.step_id], "place": place}
                if finding.source == "image":
                    numbers = "、".join(str(n) for n in image_steps.get(finding.object_id, []))
                    place = _("picture in step %(numbers)s") % {"numbers": numbers}
                rows.append({"finding": finding, "place": place})
            user = self.request.user
            return {
                **context,
                "rows": rows,
                "scans": [scan for scan in selectors.scans_for(page) if scan.status != scan.Status.DONE],
                "saved": True,
                "page": page,
                "next": self.request.get_full_path(),
                "may_override": user.has_perm("privacy.override_finding"),
            }
