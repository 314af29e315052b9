"""The « Tester la compétence » form: a question put to the article, read without JavaScript."""

from django import forms

from relais.legal import matters
from relais.legal.assessment import AssessmentRequest
from relais.referential.models import Country

WITHIN_MINISTRY_CHOICES = [
    ("", "Je ne sais pas"),
    ("oui", "Oui, elle relève du ministère de l'intérieur"),
    ("non", "Non, elle n'en relève pas"),
]


class AssessmentForm(forms.Form):
    """Maps the page's fields to an `AssessmentRequest` (matters from the registry, the units of
    the organisation tree proposed in a datalist, any name accepted)."""

    matter = forms.ChoiceField(label="Objet de la demande")
    beneficiary = forms.CharField(
        label="Au profit de",
        max_length=200,
        help_text="Une unité de l'organigramme (sigle ou nom, par exemple « OFAST », « GIGN »,"
        " « DLPAJ ») ou un autre organisme (« Ministère des Armées »).",
    )
    within_ministry = forms.TypedChoiceField(
        label="Si Relais ne la reconnaît pas : relève-t-elle du ministère de l'intérieur ?",
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

    def __init__(self, data=None, *args, user, **kwargs):
        if data is not None and not data.get("matter") and data.get("cooperation_kind"):
            # Links written for the first version (?cooperation_kind=technical) keep working.
            data = data.copy()
            data["matter"] = data["cooperation_kind"]
        super().__init__(data, *args, **kwargs)
        self.fields["matter"].choices = [("", "Choisir un objet"), *matters.choices()]
        self.fields["country"].queryset = Country.objects.visible_to(user).order_by("name")

    def clean_beneficiary(self):
        value = " ".join(self.cleaned_data["beneficiary"].split())
        if not value:
            raise forms.ValidationError("Indiquez l'unité ou l'organisme.")
        return value

    def to_request(self) -> AssessmentRequest:
        data = self.cleaned_data
        country = data.get("country")
        return AssessmentRequest(
            matter=data["matter"],
            beneficiary=data["beneficiary"],
            exclusively_intelligence=data["exclusively_intelligence"],
            subject=data["subject"].strip(),
            country=country.code if country else "",
            within_ministry=data.get("within_ministry"),
        )
