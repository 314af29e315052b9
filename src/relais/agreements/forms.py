"""Forms of mission k. Record forms subclass `RecordForm` (hidden version, stale edits refused
with the input kept); the agreement form saves through `services` (competence, partners)."""

from django import forms
from django.core.exceptions import ValidationError

from relais.agreements import services
from relais.agreements.documents import ACCEPT, MAX_UPLOAD_BYTES, check_document
from relais.agreements.models import (
    Addressee,
    Agreement,
    CommentRequest,
    CommitteeMeeting,
    JointCommittee,
    NegotiationRound,
    RenewalKind,
    headquarters_users,
)
from relais.agreements.workflows import SIGNED_STATES, AgreementStatus
from relais.core import records
from relais.core.forms import RecordForm
from relais.referential.models import Country, Unit, UnitKind

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _directorates():
    return Unit.objects.filter(kind=UnitKind.DIRECTORATE).exclude(beneficiary="").order_by("code")


class AgreementForm(RecordForm):
    """Create or edit an agreement. The lifecycle dates appear only once the text is signed
    (to correct them); they are otherwise set by the transitions."""

    classified_text_fields = ("title", "summary", "notes")

    exclusively_intelligence = forms.BooleanField(
        label="La question relève exclusivement des services de renseignement",
        required=False,
        help_text="Ces questions sont hors du champ de la DCI (article 1, premier alinéa).",
    )

    class Meta:
        model = Agreement
        fields = [
            "kind",
            "title",
            "reference",
            "summary",
            "countries",
            "partner_bodies",
            "directorates",
            "domains",
            "lead",
            "post",
            "amends",
            "signed_on",
            "signed_place",
            "in_force_on",
            "duration_years",
            "tacit_renewal",
            "renewal_years",
            "notice_months",
            "expires_on",
            "approval_law_reference",
            "approval_law_on",
            "publication_decree_reference",
            "publication_decree_on",
            "marking",
            "notes",
        ]
        widgets = {
            "directorates": forms.CheckboxSelectMultiple,
            "domains": forms.CheckboxSelectMultiple,
            "countries": forms.SelectMultiple(attrs={"size": 8}),
            "partner_bodies": forms.SelectMultiple(attrs={"size": 6}),
            "summary": forms.Textarea(attrs={"rows": 4}),
            "notes": forms.Textarea(attrs={"rows": 3}),
            "signed_on": DATE,
            "in_force_on": DATE,
            "expires_on": DATE,
            "approval_law_on": DATE,
            "publication_decree_on": DATE,
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["directorates"].queryset = _directorates()
        self.fields["directorates"].label_from_instance = lambda u: f"{u.label} — {u.name}"
        self.fields["lead"].queryset = headquarters_users().order_by("last_name", "first_name")
        self.fields["post"].queryset = self.fields["post"].queryset.select_related("unit")
        self.fields["countries"].queryset = Country.objects.partners().order_by("name")
        if self.instance.pk:
            self.fields["amends"].queryset = self.fields["amends"].queryset.exclude(
                pk=self.instance.pk
            )
        signed = self.instance.pk and self.instance.status in SIGNED_STATES
        in_force = self.instance.pk and self.instance.status in (
            AgreementStatus.IN_FORCE,
            AgreementStatus.DENOUNCED,
            AgreementStatus.EXPIRED,
        )
        hidden = []
        if not signed:
            hidden += ["signed_on", "signed_place"]
        if not in_force:
            hidden += ["in_force_on"]
        if not (self.instance.pk and self.instance.requires_approval and signed):
            hidden += [
                "approval_law_reference",
                "approval_law_on",
                "publication_decree_reference",
                "publication_decree_on",
            ]
        for name in hidden:
            self.fields.pop(name, None)

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("countries") and not cleaned.get("partner_bodies"):
            self.add_error("countries", "Indiquez au moins un pays ou un organisme partenaire.")
        directorates = cleaned.get("directorates")
        if directorates:
            answer = services.assess_agreement(
                directorates, exclusively_intelligence=cleaned.get("exclusively_intelligence")
            )
            if not answer.competent:
                self.add_error("directorates", answer.reason)
        elif cleaned.get("exclusively_intelligence"):
            answer = services.assess_agreement([], exclusively_intelligence=True)
            self.add_error("exclusively_intelligence", answer.reason)
        return cleaned

    def save(self, commit=True):
        if self.errors:
            raise ValueError("Le formulaire contient des erreurs : il ne peut pas être enregistré.")
        m2m = {
            name: self.cleaned_data[name]
            for name in ("countries", "partner_bodies", "directorates", "domains")
        }
        intelligence = self.cleaned_data.get("exclusively_intelligence", False)
        try:
            if self.instance.pk is None:
                fields = {
                    name: self.cleaned_data[name]
                    for name in self.fields
                    if name not in m2m and name not in ("version", "exclusively_intelligence")
                }
                return services.create_agreement(
                    self.user, exclusively_intelligence=intelligence, **m2m, **fields
                )
            return services.update_agreement(
                self.instance,
                self.user,
                expected_version=self.cleaned_data["version"],
                m2m=m2m,
                exclusively_intelligence=intelligence,
            )
        except records.StaleVersion as exc:
            self._keep_input_after_conflict(exc)
        except ValidationError as exc:
            for field, messages in exc.message_dict.items():
                self.add_error(field if field in self.fields else None, messages)
        return None


class NegotiationRoundForm(RecordForm):
    classified_text_fields = ("french_delegation", "partner_delegation", "outcome")

    class Meta:
        model = NegotiationRound
        fields = ["held_on", "place", "french_delegation", "partner_delegation", "outcome"]
        widgets = {
            "held_on": DATE,
            "french_delegation": forms.Textarea(attrs={"rows": 3}),
            "partner_delegation": forms.Textarea(attrs={"rows": 3}),
            "outcome": forms.Textarea(attrs={"rows": 4}),
        }


class JointCommitteeForm(RecordForm):
    classified_text_fields = ("description",)

    class Meta:
        model = JointCommittee
        fields = ["name", "periodicity", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}


class CommitteeMeetingForm(RecordForm):
    classified_text_fields = ("agenda", "outcome")

    class Meta:
        model = CommitteeMeeting
        fields = ["held_on", "place", "agenda", "outcome"]
        widgets = {
            "held_on": DATE,
            "agenda": forms.Textarea(attrs={"rows": 3}),
            "outcome": forms.Textarea(attrs={"rows": 4}),
        }


class TextVersionForm(forms.Form):
    """A new version of the text: the document, and/or its text pasted for comparisons."""

    label = forms.CharField(
        label="Intitulé de la version",
        max_length=200,
        help_text="Ex. « Projet français transmis le 12 mars », « Contre-projet de la partie ».",
    )
    document = forms.FileField(
        label="Document",
        required=False,
        help_text=(f"PDF, DOCX, ODT ou TXT, {MAX_UPLOAD_BYTES // (1024 * 1024)} Mo au plus."),
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPT}),
    )
    pasted_text = forms.CharField(
        label="Texte de la version (facultatif)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=(
            "Collez ici le texte quand il ne peut pas être extrait du document (PDF numérisé) : "
            "c'est lui que la comparaison des versions utilisera."
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["label"].widget.attrs["class"] = "fr-input"
        self.fields["pasted_text"].widget.attrs["class"] = "fr-input"
        self.fields["document"].widget.attrs["class"] = "fr-upload"

    def clean_document(self):
        document = self.cleaned_data.get("document")
        if document:
            check_document(document)
        return document

    def clean(self):
        cleaned = super().clean()
        missing = not cleaned.get("document") and not (cleaned.get("pasted_text") or "").strip()
        if missing and "document" not in self.errors:
            self.add_error("document", "Joignez le document ou collez son texte.")
        return cleaned


class CommentRequestForm(RecordForm):
    classified_text_fields = ("subject",)

    class Meta:
        model = CommentRequest
        fields = ["addressee", "directorate", "text_version", "subject", "requested_on", "due_on"]
        widgets = {"requested_on": DATE, "due_on": DATE}

    def __init__(self, *args, agreement: Agreement, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.agreement = agreement
        self.fields["directorate"].queryset = agreement.directorates.all()
        self.fields["directorate"].required = False
        self.fields["text_version"].queryset = agreement.versions.all()

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("addressee") == Addressee.DIRECTORATE and not cleaned.get("directorate"):
            self.add_error("directorate", "Choisissez la direction sollicitée.")
        if cleaned.get("addressee") == Addressee.MEAE:
            cleaned["directorate"] = None
            self.instance.directorate = None
        return cleaned


class CommentAnswerForm(forms.Form):
    answer = forms.CharField(label="Réponse", widget=forms.Textarea(attrs={"rows": 5}))
    answered_on = forms.DateField(label="Répondu le", required=False, widget=DATE)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["answer"].widget.attrs["class"] = "fr-input"
        self.fields["answered_on"].widget.attrs["class"] = "fr-input"


class RenewalForm(forms.Form):
    kind = forms.ChoiceField(label="Nature", choices=RenewalKind.choices)
    renewed_on = forms.DateField(label="Date d'effet", widget=DATE)
    new_expires_on = forms.DateField(
        label="Nouvelle échéance",
        required=False,
        widget=DATE,
        help_text="Vide : l'ancienne échéance prolongée de la durée de reconduction.",
    )
    comment = forms.CharField(
        label="Commentaire", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.widget.attrs["class"] = (
                "fr-select" if isinstance(field.widget, forms.Select) else "fr-input"
            )
