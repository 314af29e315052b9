"""Administration of mission a's reference data (themes and their retention periods).

Reports themselves are not in the admin: they are read through the application, where need to
know and the access log apply."""

from django.contrib import admin

from relais.information.models import Theme


@admin.register(Theme)
class ThemeAdmin(admin.ModelAdmin):
    list_display = ("label", "code", "retention_years", "order")
    list_editable = ("retention_years",)
    readonly_fields = ("code",)

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
