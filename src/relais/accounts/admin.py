"""Users and API tokens in the Django admin. Changes to a user are written to the audit trail
(the password hash never is); tokens are shown, never created here (see « Mon compte »)."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.db import transaction
from django.utils import timezone

from relais.accounts.models import ApiToken, User
from relais.core.audit.events import Action, log_event

#: User fields written to the audit trail.
AUDITED_FIELDS = (
    "username",
    "first_name",
    "last_name",
    "email",
    "role",
    "unit_id",
    "clearance",
    "is_active",
    "is_staff",
    "is_superuser",
)


def _values(user) -> dict:
    return {name: getattr(user, name) for name in AUDITED_FIELDS}


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    list_display = (
        "username",
        "last_name",
        "first_name",
        "role",
        "unit",
        "clearance",
        "is_active",
        "last_login",
    )
    list_filter = ("role", "clearance", "is_active", "is_staff", "is_superuser", "unit__kind")
    search_fields = ("username", "first_name", "last_name", "email", "unit__code", "unit__name")
    list_select_related = ("unit",)
    autocomplete_fields = ("unit",)
    ordering = ("username",)
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        ("Identité", {"fields": ("first_name", "last_name", "email")}),
        ("Rôle et périmètre", {"fields": ("role", "unit", "clearance")}),
        (
            "Droits d'administration",
            {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")},
        ),
        ("Dates", {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": (
                    "username",
                    "first_name",
                    "last_name",
                    "email",
                    "role",
                    "unit",
                    "clearance",
                    "password1",
                    "password2",
                ),
            },
        ),
    )

    @transaction.atomic
    def save_model(self, request, obj, form, change):
        before = _values(User.objects.get(pk=obj.pk)) if change else {}
        super().save_model(request, obj, form, change)
        after = _values(obj)
        changes = {k: [before.get(k), v] for k, v in after.items() if before.get(k) != v}
        if changes or not change:
            log_event(
                Action.UPDATE if change else Action.CREATE, request.user, obj, changes=changes
            )

    @transaction.atomic
    def delete_model(self, request, obj):
        log_event(
            Action.DELETE,
            request.user,
            obj,
            changes={k: [v, None] for k, v in _values(obj).items()},
        )
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            self.delete_model(request, obj)


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = (
        "name",
        "user",
        "hint",
        "created_at",
        "expires_at",
        "last_used_at",
        "revoked_at",
    )
    list_filter = ("revoked_at", "expires_at")
    search_fields = ("name", "hint", "user__username", "user__last_name")
    list_select_related = ("user",)
    readonly_fields = (
        "user",
        "name",
        "hint",
        "created_at",
        "expires_at",
        "last_used_at",
        "revoked_at",
    )
    actions = ["revoke"]

    def has_add_permission(self, request):
        return False

    @admin.action(description="Révoquer les jetons sélectionnés")
    @transaction.atomic
    def revoke(self, request, queryset):
        for token in queryset.filter(revoked_at__isnull=True).select_related("user"):
            token.revoked_at = timezone.now()
            token.save(update_fields=["revoked_at"])
            log_event(
                Action.TOKEN,
                request.user,
                token.user,
                extra={"operation": "révocation par un administrateur", "token": token.hint},
            )
