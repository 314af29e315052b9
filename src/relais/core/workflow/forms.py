"""The form behind each transition button: a comment, and the fields the transition declares."""

from django import forms
from django.forms.models import fields_for_model

from relais.core.kept_input import KeptInputMixin


def _formfield(model_field, **kwargs):
    formfield = model_field.formfield(**kwargs)
    if isinstance(formfield, forms.DateField):
        formfield.widget = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    return formfield


class TransitionForm(KeptInputMixin, forms.Form):
    """Comment (required when the transition says so) and the transition's own fields."""

    comment = forms.CharField(
        label="Commentaire",
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, transition, obj, *args, **kwargs):
        kwargs.setdefault("prefix", transition.name)
        super().__init__(*args, **kwargs)
        self.transition = transition
        comment = self.fields["comment"]
        if transition.comment_required:
            comment.required = True
            comment.label = "Commentaire (obligatoire)"
            comment.error_messages["required"] = (
                f"Un commentaire est obligatoire pour l'action « {transition.label} »."
            )
        if transition.fields:
            extra = fields_for_model(
                type(obj), fields=list(transition.fields), formfield_callback=_formfield
            )
            for name, formfield in extra.items():
                formfield.initial = getattr(obj, name)
                if name in transition.required_fields:
                    formfield.required = True
                self.fields[name] = formfield
        for formfield in self.fields.values():
            css = "fr-select" if isinstance(formfield.widget, forms.Select) else "fr-input"
            formfield.widget.attrs.setdefault("class", css)

    def extra_values(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.transition.fields}

    def error_messages_list(self) -> list[str]:
        return [str(error) for errors in self.errors.values() for error in errors]
