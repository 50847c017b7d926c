from django.contrib import admin

from advisors.models import Lieu, OpeningSlot, Structure

# ---- Structures and lieux ----


class LieuInline(admin.TabularInline):
    model = Lieu
    fields = ["name", "commune", "address", "fees", "itinerant"]
    raw_id_fields = ["commune"]
    extra = 0
    show_change_link = True


@admin.register(Structure)
class StructureAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "commune", "departement", "siret", "updated_at"]
    list_filter = ["kind", "departement"]
    search_fields = ["name", "siret", "commune__name"]
    list_select_related = ["commune", "departement"]
    # A perimeter counts hundreds of communes: a raw list of codes, not a multiple select of 35,000.
    raw_id_fields = ["commune", "perimeter"]
    filter_horizontal = ["services", "publics"]
    readonly_fields = ["departement", "created_at", "updated_at"]
    inlines = [LieuInline]


class OpeningSlotInline(admin.TabularInline):
    model = OpeningSlot
    extra = 0


@admin.register(Lieu)
class LieuAdmin(admin.ModelAdmin):
    list_display = ["name", "structure", "commune", "departement", "fees", "itinerant"]
    list_filter = ["departement", "fees", "itinerant", "reduced_mobility_access"]
    search_fields = ["name", "structure__name", "commune__name"]
    list_select_related = ["structure", "commune", "departement"]
    raw_id_fields = ["structure", "commune"]
    readonly_fields = ["departement", "updated_at"]
    inlines = [OpeningSlotInline]
