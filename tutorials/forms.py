from django import forms


class StepFeedbackForm(forms.Form):
    page = forms.IntegerField(min_value=1)
    step = forms.CharField(max_length=64)
    helpful = forms.TypedChoiceField(choices=[("yes", "yes"), ("no", "no")], coerce=lambda v: v == "yes")
