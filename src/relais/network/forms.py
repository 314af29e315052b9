"""Forms of the network: a tasking (with the posts it addresses), a post's answer, an annual
report. All are `RecordForm`s (hidden version, stale edits refused with the input kept); writes
go through `relais.network.services`."""

from django import forms
from django.db import transaction
from django.utils import timezone

from relais.core.forms import RecordForm
from relais.network import services
from relais.network.models import PostAnnualReport, Tasking, TaskingRecipient
from relais.network.workflows import TaskingStatus
from relais.referential.models import Post, Zone

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class TaskingForm(RecordForm):
    """A tasking and its recipients: chosen posts, every post of some zones, or all posts.
    Recipients change only while the tasking is in preparation."""

    classified_text_fields = ("title", "body")

    all_posts = forms.BooleanField(
        label="Adresser à tous les postes",
        required=False,
        help_text="Tous les services de sécurité intérieure du réseau.",
    )
    zones = forms.ModelMultipleChoiceField(
        label="Tous les postes des zones",
        queryset=Zone.objects.all(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 5}),
    )
    posts = forms.ModelMultipleChoiceField(
        label="Postes destinataires",
        queryset=Post.objects.select_related("unit"),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 10}),
    )

    class Meta:
        model = Tasking
        fields = ["kind", "title", "body", "due_on", "marking"]
        widgets = {"due_on": DATE_WIDGET, "body": forms.Textarea(attrs={"rows": 8})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["posts"].label_from_instance = lambda p: f"{p.city} ({p.unit.code})"
        instance = self.instance
        if instance.pk is not None:
            self.fields["all_posts"].initial = instance.all_posts
            self.fields["posts"].initial = list(
                instance.recipients.values_list("post_id", flat=True)
            )
            if instance.status != TaskingStatus.DRAFT:
                for name in ("all_posts", "zones", "posts"):
                    self.fields[name].disabled = True
                    self.fields[name].help_text = "La sollicitation est envoyée : "
                    self.fields[name].help_text += "ses destinataires ne changent plus."

    def clean_due_on(self):
        due_on = self.cleaned_data["due_on"]
        unchanged = self.instance.pk is not None and due_on == self.instance.due_on
        if not unchanged and due_on < timezone.localdate():
            raise forms.ValidationError("La date de réponse attendue ne peut pas être passée.")
        return due_on

    def clean(self):
        cleaned = super().clean()
        if self.instance.status == TaskingStatus.DRAFT and not (
            cleaned.get("all_posts") or cleaned.get("zones") or cleaned.get("posts")
        ):
            self.add_error("posts", "Choisissez au moins un poste, une zone ou tous les postes.")
        return cleaned

    @transaction.atomic
    def save(self, commit=True):
        data = self.cleaned_data
        if self.instance.pk is None:
            return services.create_tasking(
                self.user,
                kind=data["kind"],
                title=data["title"],
                body=data["body"],
                due_on=data["due_on"],
                marking=data.get("marking"),
                posts=data["posts"],
                zones=data["zones"],
                all_posts=data["all_posts"],
            )
        tasking = super().save(commit)
        if tasking is None:
            return None
        if tasking.status == TaskingStatus.DRAFT:
            services.set_recipients(
                tasking,
                self.user,
                services.resolve_posts(data["posts"], data["zones"], data["all_posts"]),
                all_posts=data["all_posts"],
            )
        services.sync_recipient_markings(tasking, self.user)
        return tasking


class AnswerForm(RecordForm):
    """A post's answer. « Enregistrer le brouillon » keeps it at the post; « Transmettre »
    sends it to headquarters (see `services.save_answer`)."""

    classified_text_fields = ("answer",)

    class Meta:
        model = TaskingRecipient
        fields = ["answer"]
        widgets = {"answer": forms.Textarea(attrs={"rows": 12})}


class ReportForm(RecordForm):
    """An annual report being written by its post."""

    classified_text_fields = ("context", "cooperation_summary", "priorities")

    class Meta:
        model = PostAnnualReport
        fields = ["context", "cooperation_summary", "priorities", "marking"]
        widgets = {
            "context": forms.Textarea(attrs={"rows": 8}),
            "cooperation_summary": forms.Textarea(attrs={"rows": 10}),
            "priorities": forms.Textarea(attrs={"rows": 6}),
        }


class ReportCreateForm(ReportForm):
    """The same, plus the year, when the post opens its report."""

    year = forms.IntegerField(label="Année", min_value=2000, max_value=2100)

    class Meta(ReportForm.Meta):
        fields = ["year", *ReportForm.Meta.fields]

    def __init__(self, *args, post=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.post = post
        self.fields["year"].initial = timezone.localdate().year - 1

    def clean_year(self):
        year = self.cleaned_data["year"]
        if year > timezone.localdate().year:
            raise forms.ValidationError("Le rapport porte sur une année écoulée ou en cours.")
        if PostAnnualReport.objects.filter(post=self.post, year=year).exists():
            raise forms.ValidationError(f"Le rapport {year} du poste existe déjà.")
        return year

    def save(self, commit=True):
        data = self.cleaned_data
        fields = {k: data[k] for k in ("context", "cooperation_summary", "priorities")}
        if data.get("marking"):
            fields["marking"] = data["marking"]
        return services.create_report(self.user, self.post, data["year"], **fields)
