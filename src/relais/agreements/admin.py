"""Administration: only the reference list of domains. Agreements are business records, written
through the application (services, workflow); administrators do not see them by their role."""

from django.contrib import admin

from relais.agreements.models import Domain


@admin.register(Domain)
class DomainAdmin(admin.ModelAdmin):
    list_display = ["label", "code", "order"]
    ordering = ["order", "label"]
