"""Forms of mission a (intake, dissemination, feedback, analysis, routing rules)."""

import re

from django import forms
from django.db.models import Q

from relais.core.forms import RecordForm, _dsfr_widget
from relais.core.markings import refuse_classified_text
from relais.information.attachments import ACCEPT
from relais.information.grading import SCHEMES, default_scheme_code
from relais.information.import_files import ACCEPT as IMPORT_ACCEPT
from relais.information.import_files import EXTENSIONS as IMPORT_EXTENSIONS
from relais.information.import_files import MAX_ROWS as IMPORT_MAX_ROWS
from relais.information.import_files import MAX_UPLOAD_BYTES as IMPORT_MAX_BYTES
from relais.information.models import (
    AnalysisFile,
    FollowUp,
    InformationReport,
    LinkKind,
    RoutingRule,
    Theme,
    Usefulness,
    mission_a_recipients,
)
from relais.referential.models import Country, Unit

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def recipient_units():
    """Units a report may go to (article 1, a): the directorates and services of the police and
    the gendarmerie (`models.mission_a_recipients`), never an intelligence service, never a post
    abroad."""
    return mission_a_recipients()


class UnitChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return (
            f"{'— ' * max(obj.depth - 1, 0)}{obj.label} ({obj.name})"
            if obj.short_name
            else obj.name
        )


class ReportForm(RecordForm):
    """Intake and edition of a report (drafts)."""

    classified_text_fields = (
        "title",
        "summary",
        "body",
        "facts_place",
        "source_description",
        "handling_conditions",
    )

    class Meta:
        model = InformationReport
        fields = [
            "title",
            "summary",
            "body",
            "facts_date",
            "facts_place",
            "countries",
            "themes",
            "source_description",
            "grading_scheme",
            "source_reliability",
            "information_credibility",
            "handling_code",
            "handling_conditions",
            "marking",
        ]
        widgets = {
            "facts_date": DATE,
            "themes": forms.CheckboxSelectMultiple,
            "summary": forms.Textarea(attrs={"rows": 3}),
            "body": forms.Textarea(attrs={"rows": 10}),
            "source_description": forms.Textarea(attrs={"rows": 3}),
            "handling_conditions": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        scheme_code = (
            self.data.get(self.add_prefix("grading_scheme"))
            if self.is_bound
            else (self.instance.grading_scheme if self.instance.pk else default_scheme_code())
        )
        scheme = SCHEMES.get(scheme_code) or SCHEMES[default_scheme_code()]
        self.fields["grading_scheme"].initial = scheme.code
        self.fields["source_reliability"] = forms.ChoiceField(
            label="Fiabilité de la source",
            choices=[("", "—"), *scheme.reliability],
        )
        self.fields["information_credibility"] = forms.ChoiceField(
            label="Crédibilité de l'information",
            choices=[("", "—"), *scheme.credibility],
        )
        self.fields["countries"].queryset = Country.objects.order_by("name")
        self.fields["countries"].help_text = "Au moins un pays."
        self.fields["themes"].queryset = Theme.objects.all()
        self.fields["themes"].help_text = "Au moins un thème."
        for name in ("source_reliability", "information_credibility"):
            _dsfr_widget(self.fields[name])

    def clean(self):
        cleaned = super().clean()
        scheme = SCHEMES.get(cleaned.get("grading_scheme") or default_scheme_code())
        if scheme is not None:
            if cleaned.get("source_reliability") not in scheme.reliability_codes:
                self.add_error(
                    "source_reliability", f"Choisissez parmi {', '.join(scheme.reliability_codes)}."
                )
            if cleaned.get("information_credibility") not in scheme.credibility_codes:
                self.add_error(
                    "information_credibility",
                    f"Choisissez parmi {', '.join(scheme.credibility_codes)}.",
                )
        return cleaned


class IntakeForm(ReportForm):
    """The intake form: the triage question, the report, one attachment."""

    attachment = forms.FileField(
        label="Pièce jointe (facultative)",
        required=False,
        help_text="PDF, JPEG, PNG, TXT, DOCX ou ODT, 10 Mo au plus. D'autres pièces peuvent "
        "être ajoutées ensuite.",
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPT}),
    )


class ImportForm(forms.Form):
    """Upload of a JSON or CSV file of reports (`import_files`), checked or imported."""

    file = forms.FileField(
        label="Fichier de fiches (JSON ou CSV)",
        help_text="Fichier .json ou .csv encodé en UTF-8 (CSV : séparateur « ; »), "
        f"{IMPORT_MAX_BYTES // (1024 * 1024)} Mo et {IMPORT_MAX_ROWS} fiches au plus.",
        widget=forms.ClearableFileInput(attrs={"accept": IMPORT_ACCEPT}),
    )
    dry_run = forms.BooleanField(
        label="Vérifier seulement (ne rien enregistrer)",
        required=False,
        help_text="Contrôle toutes les lignes et affiche les erreurs, sans créer de fiche.",
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        name = upload.name or ""
        if not name.lower().endswith(IMPORT_EXTENSIONS):
            raise forms.ValidationError(
                "Type de fichier refusé : seuls les fichiers JSON (.json) et CSV (.csv) sont "
                "acceptés."
            )
        if upload.size > IMPORT_MAX_BYTES:
            raise forms.ValidationError(
                f"Le fichier dépasse {IMPORT_MAX_BYTES // (1024 * 1024)} Mo."
            )
        return upload


class TriageForm(forms.Form):
    exclusively_intelligence = forms.BooleanField(
        label="Cette information relève exclusivement des services de renseignement",
        required=False,
        help_text="Elle ne sera pas enregistrée : seul un récépissé (date, auteur, unité, "
        "orientation) est conservé, et Relais vous indique à qui l'adresser.",
    )


class DisseminateForm(forms.Form):
    units = UnitChoiceField(
        label="Unités destinataires",
        queryset=Unit.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text="Les unités proposées par les règles d'orientation sont cochées.",
    )
    deadline = forms.DateField(
        label="Réponse attendue le (facultatif)", required=False, widget=DATE
    )
    comment = forms.CharField(
        label="Commentaire (facultatif)", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, units=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["units"].queryset = units if units is not None else recipient_units()
        for field in self.fields.values():
            _dsfr_widget(field)


class FeedbackForm(forms.Form):
    usefulness = forms.ChoiceField(label="Utilité", choices=Usefulness.choices)
    follow_up = forms.ChoiceField(label="Suite donnée", choices=FollowUp.choices)
    comment = forms.CharField(
        label="Commentaire (facultatif)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        validators=[refuse_classified_text],
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            _dsfr_widget(field)


class RegradeForm(forms.Form):
    source_reliability = forms.ChoiceField(label="Fiabilité de la source")
    information_credibility = forms.ChoiceField(label="Crédibilité de l'information")
    reason = forms.CharField(
        label="Motif", widget=forms.Textarea(attrs={"rows": 2}), validators=[refuse_classified_text]
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, report, **kwargs):
        super().__init__(*args, **kwargs)
        scheme = report.scheme
        self.fields["source_reliability"].choices = scheme.reliability
        self.fields["information_credibility"].choices = scheme.credibility
        self.fields["source_reliability"].initial = report.source_reliability
        self.fields["information_credibility"].initial = report.information_credibility
        self.fields["version"].initial = report.version
        for field in self.fields.values():
            _dsfr_widget(field)


class NoteForm(forms.Form):
    text = forms.CharField(
        label="Note d'analyste",
        widget=forms.Textarea(attrs={"rows": 3}),
        validators=[refuse_classified_text],
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _dsfr_widget(self.fields["text"])


REFERENCE = re.compile(r"(?:(?:RO|SY)-\d{4}-)?0*(\d+)", re.IGNORECASE)


def parse_references(text: str) -> list[int]:
    """Report ids from « RO-2026-000114, SY-2025-000020 17 »."""
    ids = []
    for token in re.split(r"[\s,;]+", text or ""):
        match = REFERENCE.fullmatch(token.strip())
        if match:
            ids.append(int(match.group(1)))
    return list(dict.fromkeys(ids))


class LinkForm(forms.Form):
    target = forms.CharField(label="Référence de la fiche liée", help_text="Ex. RO-2026-000114.")
    kind = forms.ChoiceField(label="Nature du lien", choices=LinkKind.choices)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            _dsfr_widget(field)

    def clean_target(self):
        ids = parse_references(self.cleaned_data["target"])
        if len(ids) != 1:
            raise forms.ValidationError("Indiquez une référence de fiche (ex. RO-2026-000114).")
        return ids[0]


class AttachmentForm(forms.Form):
    file = forms.FileField(
        label="Pièce jointe",
        help_text="PDF, JPEG, PNG, TXT, DOCX ou ODT, 10 Mo au plus.",
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPT}),
    )


class AddToFileForm(forms.Form):
    analysis_file = forms.ModelChoiceField(
        label="Dossier d'analyse", queryset=AnalysisFile.objects.none()
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["analysis_file"].queryset = AnalysisFile.objects.visible_to(user).filter(
            state="open"
        )
        _dsfr_widget(self.fields["analysis_file"])


class SynthesisForm(forms.Form):
    title = forms.CharField(label="Titre", max_length=300, validators=[refuse_classified_text])
    summary = forms.CharField(
        label="Résumé",
        widget=forms.Textarea(attrs={"rows": 3}),
        validators=[refuse_classified_text],
    )
    body = forms.CharField(
        label="Synthèse",
        widget=forms.Textarea(attrs={"rows": 10}),
        validators=[refuse_classified_text],
    )
    sources = forms.CharField(
        label="Fiches synthétisées",
        help_text="Références séparées par des virgules (ex. RO-2026-000114, RO-2026-000120).",
    )
    source_reliability = forms.ChoiceField(label="Fiabilité de la source")
    information_credibility = forms.ChoiceField(label="Crédibilité de l'information")

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        scheme = SCHEMES[default_scheme_code()]
        self.fields["source_reliability"].choices = scheme.reliability
        self.fields["information_credibility"].choices = scheme.credibility
        for field in self.fields.values():
            _dsfr_widget(field)

    def clean_sources(self):
        ids = parse_references(self.cleaned_data["sources"])
        reports = list(
            InformationReport.objects.visible_to(self.user)
            .filter(pk__in=ids)
            .exclude(status="draft")
            .prefetch_related("countries", "themes")
        )
        if not reports or len(reports) != len(ids):
            raise forms.ValidationError(
                "Références inconnues ou fiches non soumises : vérifiez la liste."
            )
        return reports


class AnalysisFileForm(RecordForm):
    classified_text_fields = ("title", "description")

    class Meta:
        model = AnalysisFile
        fields = ["title", "description", "themes", "countries", "state", "marking"]
        widgets = {"themes": forms.CheckboxSelectMultiple}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["countries"].queryset = Country.objects.order_by("name")


class RoutingRuleForm(RecordForm):
    """Theme (and country) → units; only recipients of mission a are offered (`recipient_units`)."""

    class Meta:
        model = RoutingRule
        fields = ["theme", "country", "units", "active", "note"]
        widgets = {"units": forms.CheckboxSelectMultiple}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["units"] = UnitChoiceField(
            label="Unités destinataires",
            queryset=recipient_units(),
            widget=forms.CheckboxSelectMultiple,
        )
        self.fields["country"].queryset = Country.objects.order_by("name")

    def clean(self):
        cleaned = super().clean()
        theme, country = cleaned.get("theme"), cleaned.get("country")
        if theme is not None:
            clash = RoutingRule.objects.filter(theme=theme).filter(
                Q(country=country) if country else Q(country__isnull=True)
            )
            if self.instance.pk:
                clash = clash.exclude(pk=self.instance.pk)
            if clash.exists():
                raise forms.ValidationError(
                    "Une règle existe déjà pour ce thème et ce pays : modifiez-la."
                )
        return cleaned
