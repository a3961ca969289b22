"""Form fields shared by every admin form of the site."""

from django.core.exceptions import ValidationError
from wagtail.admin.forms.models import register_form_field_override
from wagtail.blocks import StreamValue
from wagtail.blocks.base import BlockField
from wagtail.fields import StreamField


class StreamFormField(BlockField):
    """A StreamField's form field that tells "changed" by value, not by how the value was written.

    What is stored and what the editor's form sends differ in form, not in substance: the form sends text
    ("" or "36") where an int or None is stored, and stored content may lack a child block added to its
    block type later. Wagtail's edit view saves a new revision whenever a field has changed, and a revision by
    an approver makes that approver an author who can no longer approve; so both sides are compared as the
    blocks clean and prepare them.
    """

    def has_changed(self, initial_value, data_value):
        try:
            data_value = self.block.clean(data_value)
        except ValidationError:
            return True
        if isinstance(initial_value, StreamValue):
            # Items still held as stored JSON are prepared as stored; reading each makes the block prepare it.
            for _ in initial_value:
                pass
        return self.block.get_prep_value(initial_value) != self.block.get_prep_value(data_value)


register_form_field_override(StreamField, override={"form_class": StreamFormField})
