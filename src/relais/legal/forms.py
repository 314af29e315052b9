"""The « Tester la compétence » form: a question put to the article, read without JavaScript."""

from django import forms

from relais.legal.article import load_article
from relais.legal.assessment import AssessmentRequest
from relais.referential.models import Country

OTHER = "other"

WITHIN_MINISTRY_CHOICES = [
    ("", "Je ne sais pas"),
    ("oui", "Oui, elle relève du ministère de l'intérieur"),
    ("non", "Non, elle n'en relève pas"),
]


class AssessmentForm(forms.Form):
    """Maps the page's fields to an `AssessmentRequest` (choices come from the encoded article)."""

    cooperation_kind = forms.ChoiceField(label="Nature de la coopération")
    beneficiary = forms.ChoiceField(label="Direction bénéficiaire")
    other_beneficiary = forms.CharField(
        label="Autre direction ou organisme",
        required=False,
        max_length=200,
        help_text="Si « Autre direction » : sigle ou nom, par exemple « DLPAJ » ou « Ministère des Armées ».",
    )
    within_ministry = forms.TypedChoiceField(
        label="Cette autre direction relève-t-elle du ministère de l'intérieur ?",
        choices=WITHIN_MINISTRY_CHOICES,
        coerce=lambda value: value == "oui",
        empty_value=None,
        required=False,
    )
    exclusively_intelligence = forms.BooleanField(
        label="La question relève exclusivement des services de renseignement",
        required=False,
    )
    subject = forms.CharField(label="Objet", required=False, max_length=200)
    country = forms.ModelChoiceField(
        label="Pays",
        queryset=Country.objects.none(),
        to_field_name="code",
        required=False,
        empty_label="Aucun pays en particulier",
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        article = load_article()
        self.fields["cooperation_kind"].choices = [("", "Choisir une nature")] + [
            (k.code, k.label) for k in article.cooperation_kinds
        ]
        self.fields["beneficiary"].choices = [
            ("", "Choisir une direction"),
            *((b.code, f"{b.label} ({b.code})") for b in article.beneficiaries),
            (OTHER, "Autre direction ou organisme (préciser)"),
        ]
        self.fields["country"].queryset = Country.objects.visible_to(user).order_by("name")

    def clean(self):
        data = super().clean()
        if data.get("beneficiary") == OTHER and not data.get("other_beneficiary", "").strip():
            self.add_error("other_beneficiary", "Précisez la direction ou l'organisme.")
        return data

    def to_request(self) -> AssessmentRequest:
        data = self.cleaned_data
        other = data["beneficiary"] == OTHER
        country = data.get("country")
        return AssessmentRequest(
            cooperation_kind=data["cooperation_kind"],
            beneficiary=data["other_beneficiary"].strip() if other else data["beneficiary"],
            exclusively_intelligence=data["exclusively_intelligence"],
            subject=data["subject"].strip(),
            country=country.code if country else "",
            within_ministry=data.get("within_ministry") if other else None,
        )
