"""Orientations in Django's admin: for the administrators' repairs, read-only. The person's data is
not shown there, nor the state's « précision » (free text that may be about her): only the sender and
the receivers see them, on the site. The state changes through ``orientations.services.status``,
which locks the row and tells the sender."""

from django.contrib import admin

from orientations.models import Orientation


@admin.register(Orientation)
class OrientationAdmin(admin.ModelAdmin):
    list_display = ["__str__", "departement", "created_at", "status", "sender_structure", "receiver_structure"]
    list_filter = ["status", "departement"]
    date_hierarchy = "created_at"
    list_select_related = ["departement", "sender_structure", "receiver_structure"]
    fields = [
        "departement",
        "created_at",
        "sender",
        "sender_structure",
        "receiver_advisor",
        "receiver_lieu",
        "receiver_structure",
        "domain",
        "skill",
        "commune",
        "status",
        "status_changed_at",
        "status_changed_by",
        "consent",
        "personal_data_erased_at",
    ]
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
