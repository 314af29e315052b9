"""The missions in the admin: read-only, since data/article-1.yaml is their only source."""

from django.contrib import admin

from relais.legal.models import Mission


@admin.register(Mission)
class MissionAdmin(admin.ModelAdmin):
    list_display = ("label", "title", "version")
    search_fields = ("code", "title", "text")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
