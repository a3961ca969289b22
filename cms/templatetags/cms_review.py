from django import template

from cms.selectors import ReviewOutcome, review_outcome_for_object

register = template.Library()


@register.simple_tag
def review_outcome(obj) -> ReviewOutcome | None:
    """The latest decision of the two-person review on ``obj`` (see cms.selectors)."""
    return review_outcome_for_object(obj=obj)
