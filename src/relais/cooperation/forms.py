"""Forms of missions b to g. Record forms subclass `RecordForm` (hidden version, stale edits
refused with the input kept); the action form saves through `services` (competence
assessment, legal basis, scope)."""

from django import forms
from django.core.exceptions import PermissionDenied, ValidationError

from relais.cooperation import services
from relais.cooperation.models import (
    ActionComment,
    CooperationAction,
    Evaluation,
    Funding,
    Programme,
)
from relais.core import records
from relais.core.forms import RecordForm
from relais.referential.models import Country, PartnerKind, Unit, UnitKind

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def directorate_label(unit) -> str:
    """« DGPN — Direction générale… », services indented under their directorate."""
    return f"{'— ' * max(unit.depth - 1, 0)}{unit.label} — {unit.name}"


class ActionForm(RecordForm):
    """Propose or edit an action. The state, the MEAE's opinion and the actual dates change
    with the transitions; the legal basis follows the directorate (competence assessment)."""

    classified_text_fields = ("title", "objectives")

    exclusively_intelligence = forms.BooleanField(
        label="La demande relève exclusivement des services de renseignement",
        required=False,
        help_text="Ces questions sont hors du champ de la DCI (article 1, premier alinéa).",
    )

    class Meta:
        model = CooperationAction
        fields = [
            "programme",
            "kind",
            "title",
            "objectives",
            "domain",
            "cooperation_kind",
            "country",
            "beneficiary_institution",
            "directorate",
            "implementing_services",
            "post",
            "agreement",
            "planned_start",
            "planned_end",
            "participants",
            "experts",
            "expert_days",
            "actual_cost",
            "marking",
        ]
        widgets = {
            "objectives": forms.Textarea(attrs={"rows": 4}),
            "implementing_services": forms.SelectMultiple(attrs={"size": 6}),
            "planned_start": DATE,
            "planned_end": DATE,
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["directorate"].queryset = services.directorate_choices()
        self.fields["directorate"].label_from_instance = directorate_label
        self.fields["directorate"].help_text = (
            "La direction du ministère dont c'est la coopération, ou le service placé "
            "directement sous elle. Le fondement (article 1) en découle : premier alinéa et b "
            "pour la police et la gendarmerie, c ou d pour la coopération administrative et de "
            "gouvernance du SG ou de la DGCL, deuxième alinéa (et e, f, g pour la DGSCGC, la "
            "DGEF, la DSCR) pour les autres directions."
        )
        self.fields["implementing_services"].queryset = (
            Unit.objects.filter(kind__in=[UnitKind.SERVICE, UnitKind.DIRECTORATE])
            .exclude(is_intelligence=True)
            .order_by("path")
        )
        self.fields["post"].queryset = self.fields["post"].queryset.select_related("unit")
        self.fields["beneficiary_institution"].queryset = self.fields[
            "beneficiary_institution"
        ].queryset.filter(kind=PartnerKind.FOREIGN_INSTITUTION)
        self.fields["country"].queryset = Country.objects.partners().order_by("name")
        if self.user is not None and self.user.is_attache and self.user.post is not None:
            post = self.user.post
            self.fields["country"].queryset = post.countries.partners().order_by("name")
            self.fields["post"].initial = post.pk
        if self.user is not None:
            self.fields["programme"].queryset = Programme.objects.visible_to(self.user).order_by(
                "-year", "title"
            )
            self.fields["agreement"].queryset = services.agreement_choices(
                self.user, self.instance.agreement_id
            )

    def clean(self):
        cleaned = super().clean()
        directorate = cleaned.get("directorate")
        kind = cleaned.get("cooperation_kind")
        if directorate and kind:
            answer = services.assess_action(
                directorate,
                kind,
                exclusively_intelligence=cleaned.get("exclusively_intelligence", False),
            )
            if not answer.competent:
                self.add_error("directorate", answer.reason)
        return cleaned

    def save(self, commit=True):
        if self.errors:
            raise ValueError("Le formulaire contient des erreurs : il ne peut pas être enregistré.")
        intelligence = self.cleaned_data.get("exclusively_intelligence", False)
        services_units = self.cleaned_data.get("implementing_services") or []
        try:
            if self.instance.pk is None:
                fields = {
                    name: self.cleaned_data[name]
                    for name in self.Meta.fields
                    if name != "implementing_services" and name in self.cleaned_data
                }
                return services.create_action(
                    self.user,
                    implementing_services=services_units,
                    exclusively_intelligence=intelligence,
                    **fields,
                )
            return services.update_action(
                self.instance,
                self.user,
                expected_version=self.cleaned_data["version"],
                m2m={"implementing_services": services_units},
                exclusively_intelligence=intelligence,
            )
        except records.StaleVersion as exc:
            self._keep_input_after_conflict(exc)
            return None
        except ValidationError as exc:
            self._add_validation_error(exc)
            return None
        except PermissionDenied as exc:
            self.add_error(None, str(exc))
            return None

    def _add_validation_error(self, exc: ValidationError) -> None:
        if hasattr(exc, "error_dict"):
            for field, errors in exc.message_dict.items():
                self.add_error(field if field in self.fields else None, errors)
        else:
            self.add_error(None, exc)


class ProgrammeForm(RecordForm):
    classified_text_fields = ("title", "summary")

    class Meta:
        model = Programme
        fields = [
            "year",
            "title",
            "country",
            "zone",
            "theme",
            "post",
            "division",
            "summary",
            "marking",
        ]
        widgets = {"summary": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["post"].queryset = self.fields["post"].queryset.select_related("unit")
        self.fields["country"].queryset = Country.objects.partners().order_by("name")
        self.fields["division"].queryset = Unit.objects.filter(kind=UnitKind.DIVISION).filter(
            path__contains="DCI/"
        )

    def save(self, commit=True):
        if self.instance.pk is None:
            if self.errors:
                raise ValueError("Le formulaire contient des erreurs.")
            fields = {n: self.cleaned_data[n] for n in self.Meta.fields if n in self.cleaned_data}
            try:
                return services.create_programme(self.user, **fields)
            except PermissionDenied as exc:
                self.add_error(None, str(exc))
                return None
        return super().save(commit)


class FundingForm(RecordForm):
    class Meta:
        model = Funding
        fields = ["funder", "instrument", "amount", "status"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["funder"].queryset = self.fields["funder"].queryset.filter(
            kind__in=[PartnerKind.FUNDER, PartnerKind.OPERATOR]
        )
        self.fields["funder"].required = False

    def save(self, commit=True):
        if self.errors:
            raise ValueError("Le formulaire contient des erreurs.")
        try:
            return services.save_funding(
                self.instance, self.user, expected_version=self.cleaned_data.get("version")
            )
        except records.StaleVersion as exc:
            self._keep_input_after_conflict(exc)
            return None


class EvaluationForm(RecordForm):
    classified_text_fields = ("lessons", "follow_up")

    class Meta:
        model = Evaluation
        fields = ["objectives_reached", "rating", "lessons", "follow_up", "evaluated_on"]
        widgets = {
            "lessons": forms.Textarea(attrs={"rows": 4}),
            "follow_up": forms.Textarea(attrs={"rows": 3}),
            "evaluated_on": DATE,
        }

    def save(self, commit=True):
        if self.errors:
            raise ValueError("Le formulaire contient des erreurs.")
        try:
            return services.save_evaluation(
                self.instance, self.user, expected_version=self.cleaned_data.get("version")
            )
        except records.StaleVersion as exc:
            self._keep_input_after_conflict(exc)
            return None
        except ValidationError as exc:
            self.add_error(None, exc)
            return None


class CommentForm(forms.ModelForm):
    class Meta:
        model = ActionComment
        fields = ["body"]
        widgets = {"body": forms.Textarea(attrs={"rows": 3, "class": "fr-input"})}
        labels = {"body": "Votre commentaire"}


class IatiUploadForm(forms.Form):
    #: The shared error block reads it (stale versions do not apply to an upload).
    conflict_list = ()

    file = forms.FileField(
        label="Fichier IATI (XML, version 2.0x)",
        help_text="Activités d'autres bailleurs publiées au format IATI (taille maximale 20 Mo).",
    )
    dry_run = forms.BooleanField(
        label="Vérifier seulement (ne rien enregistrer)", required=False, initial=True
    )
    valid_only = forms.BooleanField(
        label="Importer les activités valides même si d'autres sont refusées", required=False
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > 20 * 1024 * 1024:
            raise ValidationError("Le fichier dépasse 20 Mo.")
        return upload
