"""The referential in the Django admin (a back-office for administrators; the in-app pages are
the main way to browse and edit). Saves and deletions go through `relais.core.records`, so the
admin writes the same audit trail and search index as the rest of Relais.
"""

from django.contrib import admin

from relais.core import records
from relais.referential.models import (
    Assignment,
    Country,
    PartnerBody,
    Person,
    Post,
    Unit,
    Zone,
)


class RecordAdmin(admin.ModelAdmin):
    """Writes through `relais.core.records` (version bump, audit event, search index)."""

    readonly_fields = ("version", "created_at", "updated_at", "created_by", "updated_by")

    def save_model(self, request, obj, form, change):
        m2m = {
            field.name: form.cleaned_data[field.name]
            for field in obj._meta.many_to_many
            if field.name in form.cleaned_data
        }
        if change:
            records.update(obj, request.user, m2m=m2m, check_permission=False)
        else:
            records.create(obj, request.user, m2m=m2m)

    def delete_model(self, request, obj):
        records.delete(obj, request.user, check_permission=False)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            self.delete_model(request, obj)


class ChildUnitInline(admin.TabularInline):
    model = Unit
    fk_name = "parent"
    fields = ("code", "name", "short_name", "kind")
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True
    verbose_name = "unité rattachée"
    verbose_name_plural = "unités rattachées"

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Unit)
class UnitAdmin(RecordAdmin):
    list_display = (
        "code",
        "name",
        "short_name",
        "kind",
        "parent",
        "beneficiary",
        "is_intelligence",
    )
    list_filter = ("kind", "beneficiary", "is_intelligence")
    search_fields = ("code", "name", "short_name", "description")
    list_select_related = ("parent",)
    autocomplete_fields = ("parent",)
    inlines = [ChildUnitInline]
    fieldsets = (
        (None, {"fields": ("code", "name", "short_name", "kind", "parent", "description")}),
        ("Article 1", {"fields": ("beneficiary", "is_intelligence")}),
        ("Suivi", {"fields": RecordAdmin.readonly_fields, "classes": ("collapse",)}),
    )

    def get_readonly_fields(self, request, obj=None):
        # The code is a stable identifier (rules rely on DCI and DCI-RESEAU), and moving a unit
        # would leave its descendants' paths behind: both are fixed once the unit exists.
        fixed = ("code", "parent") if obj is not None else ()
        return (*fixed, *super().get_readonly_fields(request, obj))


class CountryInline(admin.TabularInline):
    model = Country
    fields = ("code", "code3", "name")
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Zone)
class ZoneAdmin(RecordAdmin):
    list_display = ("name", "code", "division", "order")
    search_fields = ("code", "name")
    list_select_related = ("division",)
    autocomplete_fields = ("division",)
    inlines = [CountryInline]


@admin.register(Country)
class CountryAdmin(RecordAdmin):
    list_display = ("name", "code", "code3", "numeric", "zone")
    list_filter = ("zone",)
    search_fields = ("code", "code3", "name", "official_name")
    list_select_related = ("zone",)


@admin.register(Post)
class PostAdmin(RecordAdmin):
    list_display = ("__str__", "embassy", "host_country", "covered", "regional_role")
    list_filter = ("host_country__zone",)
    search_fields = ("city", "embassy", "unit__code", "host_country__name", "countries__name")
    autocomplete_fields = ("unit", "host_country")
    filter_horizontal = ("countries",)

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("unit", "host_country")
            .prefetch_related("countries")
        )

    @admin.display(description="pays couverts")
    def covered(self, obj):
        return ", ".join(c.name for c in obj.countries.all())


@admin.register(PartnerBody)
class PartnerBodyAdmin(RecordAdmin):
    list_display = ("name", "acronym", "kind", "country", "city")
    list_filter = ("kind", "country__zone")
    search_fields = ("name", "acronym", "city", "country__name", "description")
    list_select_related = ("country",)
    autocomplete_fields = ("country",)


class AssignmentInline(admin.TabularInline):
    model = Assignment
    fields = ("unit", "function", "theme", "start_date", "end_date", "status")
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Person)
class PersonAdmin(RecordAdmin):
    list_display = ("last_name", "first_name", "corps", "grade", "unit", "function")
    list_filter = ("corps", "unit__kind")
    search_fields = ("last_name", "first_name", "email", "grade", "function", "unit__code")
    list_select_related = ("unit",)
    autocomplete_fields = ("unit",)
    inlines = [AssignmentInline]


@admin.register(Assignment)
class AssignmentAdmin(RecordAdmin):
    list_display = ("person", "unit", "function", "theme", "start_date", "end_date", "status")
    list_filter = ("function", "status", "unit__kind")
    search_fields = ("person__last_name", "person__first_name", "unit__code", "unit__name", "theme")
    list_select_related = ("person", "unit")
    autocomplete_fields = ("person", "unit")
    date_hierarchy = "start_date"

    def get_readonly_fields(self, request, obj=None):
        # The state only moves through the assignment workflow (referential/workflows.py).
        return (*super().get_readonly_fields(request, obj), "status")
