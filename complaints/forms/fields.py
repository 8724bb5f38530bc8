"""Form fields shared by the citizen and the staff forms."""

from __future__ import annotations

from django import forms

from complaints.attachments import validate_uploads


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Up to five files from one input, each checked by its content
    (`complaints.attachments`)."""

    widget = MultipleFileInput

    def to_python(self, data):
        files = data if isinstance(data, (list, tuple)) else ([data] if data else [])
        return [super(MultipleFileField, self).to_python(f) for f in files]

    def clean(self, data, initial=None):
        files = self.to_python(data)
        if not files and self.required:
            raise forms.ValidationError(self.error_messages["required"], code="required")
        validate_uploads(files)
        return files
