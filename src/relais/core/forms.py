"""`RecordForm`: the base of every form that edits a `Record` (optimistic locking, markings).

    class PartnerBodyForm(RecordForm):
        classified_text_fields = ("description",)

        class Meta:
            model = PartnerBody
            fields = ["name", "acronym", "kind", "country", "description", "marking"]

    form = PartnerBodyForm(request.POST or None, instance=partner, user=request.user)
    if request.method == "POST" and form.is_valid() and form.save():
        ...  # saved; otherwise the form carries its errors (a stale version among them)

- A hidden `version` field holds the version the user opened. `save()` goes through
  `relais.core.records.update` (or `create`) with that version; when someone saved in between,
  it adds a non-field error, keeps everything the user typed, moves the hidden version to the
  current one (so a second submit, after review, is accepted) and lists in `conflicts` the
  fields whose stored value now differs from the user's input. `save()` then returns None.
- `marking` becomes a `MarkingFormField` (classified levels get `CLASSIFIED_MESSAGE`).
- Choices of related records are limited to what the user may see (`visible_to`).
- Widgets carry the DSFR classes (fr-input, fr-select).
"""

from django import forms

from relais.core import records
from relais.core.kept_input import KeptInputMixin
from relais.core.markings import MarkingFormField, refuse_classified_text

_INPUT_WIDGETS = (forms.TextInput, forms.Textarea, forms.NumberInput, forms.DateInput)


def _dsfr_widget(field: forms.Field) -> None:
    widget = field.widget
    if isinstance(widget, forms.CheckboxInput | forms.CheckboxSelectMultiple | forms.RadioSelect):
        return
    if isinstance(widget, forms.Select):  # also SelectMultiple
        css = "fr-select"
    elif isinstance(widget, _INPUT_WIDGETS):  # also EmailInput, URLInput…
        css = "fr-input"
    else:
        return
    widget.attrs["class"] = f"{widget.attrs.get('class', '')} {css}".strip()


class RecordForm(KeptInputMixin, forms.ModelForm):
    """A `ModelForm` for a `Record`, saved through the records service with a version check."""

    #: Free-text fields where a classification header (« TRÈS SECRET ») is refused.
    classified_text_fields: tuple[str, ...] = ()

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1, required=False)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.conflicts: dict[str, str] = {}
        if self.instance.pk is not None:
            self.fields["version"].initial = self.instance.version
        if "marking" in self.fields:
            old = self.fields["marking"]
            self.fields["marking"] = MarkingFormField(
                user=user, label=old.label, help_text=old.help_text, initial=old.initial
            )
        for name in self.classified_text_fields:
            if name in self.fields:
                self.fields[name].validators.append(refuse_classified_text)
        for field in self.fields.values():
            queryset = getattr(field, "queryset", None)
            if queryset is not None and hasattr(queryset, "visible_to"):
                field.queryset = queryset.visible_to(user)
            _dsfr_widget(field)

    @property
    def conflict_list(self) -> list[tuple[str, str]]:
        """(label, stored value) of the fields whose stored value differs from the input."""
        return [(self.fields[name].label or name, value) for name, value in self.conflicts.items()]

    def clean_version(self):
        version = self.cleaned_data.get("version")
        if self.instance.pk is not None and version is None:
            raise forms.ValidationError(
                "La version de l'enregistrement ouvert manque : rechargez la page puis "
                "recommencez.",
                code="missing_version",
            )
        return version

    def _many_to_many(self) -> dict:
        names = {f.name for f in self.instance._meta.many_to_many}
        return {n: v for n, v in self.cleaned_data.items() if n in names and n in self.fields}

    def save(self, commit=True):
        """Save through `records.update`/`create`; on a stale version return None (see module)."""
        if self.errors:
            raise ValueError("Le formulaire contient des erreurs : il ne peut pas être enregistré.")
        if self.instance.pk is None:
            return records.create(self.instance, self.user, m2m=self._many_to_many())
        try:
            return records.update(
                self.instance,
                self.user,
                expected_version=self.cleaned_data["version"],
                m2m=self._many_to_many(),
            )
        except records.StaleVersion as exc:
            self._keep_input_after_conflict(exc)
            return None

    def _keep_input_after_conflict(self, exc: records.StaleVersion) -> None:
        """Re-render with the user's input, the current version and what changed meanwhile."""
        self.add_error(None, forms.ValidationError(str(exc), code="stale_version"))
        self.data = self.data.copy()
        self.data[self.add_prefix("version")] = str(exc.current)
        current = type(self.instance)._default_manager.filter(pk=self.instance.pk).first()
        if current is None:
            return
        for name, field in self.fields.items():
            if name == "version" or name not in self.initial:
                continue
            saved = forms.model_to_dict(current, fields=[name]).get(name)
            submitted = field.widget.value_from_datadict(
                self.data, self.files, self.add_prefix(name)
            )
            if field.has_changed(saved, submitted):
                self.conflicts[name] = self._display(field, saved)

    @staticmethod
    def _display(field: forms.Field, value) -> str:
        if value in (None, "", []):
            return "(vide)"
        if isinstance(field, forms.ModelMultipleChoiceField):
            return ", ".join(
                str(o) for o in field.queryset.filter(pk__in=[getattr(v, "pk", v) for v in value])
            )
        if isinstance(field, forms.ModelChoiceField):
            obj = field.queryset.filter(pk=value).first()
            return str(obj) if obj is not None else "(non visible)"
        if isinstance(field, forms.BooleanField):
            return "oui" if value else "non"
        choices = dict(getattr(field, "choices", ()) or ())
        return str(choices.get(value, value))
