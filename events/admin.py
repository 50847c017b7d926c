"""Events in Django's admin: for the administrators' repairs. Registrations are read-only here: their
capacity and waiting-list rules live in ``events.services.registrations``, which the admin would bypass."""

from django.contrib import admin

from events.models import Event, EventSeries, Need, Organiser, Registration, Slot


class OrganiserInline(admin.TabularInline):
    model = Organiser
    raw_id_fields = ["advisor", "structure", "invited_by"]
    extra = 0


class SlotInline(admin.TabularInline):
    model = Slot
    fields = ["title", "room", "starts_at", "ends_at", "capacity", "animators_wanted"]
    readonly_fields = ["capacity"]  # as on the event: only ``registration_capacity_set`` changes it
    extra = 0


class NeedInline(admin.TabularInline):
    model = Need
    fields = ["kind", "description", "covered"]
    extra = 0


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "departement", "starts_at", "status", "visibility", "capacity"]
    list_filter = ["status", "kind", "visibility", "departement"]
    search_fields = ["title", "commune__name"]
    date_hierarchy = "starts_at"
    list_select_related = ["departement"]
    raw_id_fields = ["lieu", "commune", "epci", "series", "created_by"]
    filter_horizontal = ["skills"]
    # The capacity too: changing it here would bypass ``registration_capacity_set``, which refuses going
    # below the places given and hands new places to the waiting list. The event form does it right.
    readonly_fields = ["capacity", "sequence", "created_at", "updated_at"]
    inlines = [OrganiserInline, SlotInline, NeedInline]


@admin.register(EventSeries)
class EventSeriesAdmin(admin.ModelAdmin):
    list_display = ["__str__", "departement", "starts_on", "until", "generated_until"]
    list_filter = ["departement"]


@admin.register(Registration)
class RegistrationAdmin(admin.ModelAdmin):
    list_display = ["name", "email", "event", "slot", "status", "queued_at"]
    list_filter = ["status"]
    search_fields = ["name", "email", "event__title"]
    list_select_related = ["event", "slot"]
    raw_id_fields = ["event", "slot", "user"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
