"""Administration of the cooperation reference table (domains and their thematic divisions)."""

from django.contrib import admin

from relais.cooperation.models import Domain


@admin.register(Domain)
class DomainAdmin(admin.ModelAdmin):
    list_display = ["label", "code", "dac_code", "division", "order"]
    list_editable = ["division", "order"]
    ordering = ["order"]
