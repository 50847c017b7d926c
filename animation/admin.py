from django.contrib import admin

from animation.models import Channel, Letter, Partner


@admin.register(Partner)
class PartnerAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "departement", "status"]
    list_filter = ["status", "kind", "departement"]
    search_fields = ["name", "contact_name"]
    raw_id_fields = ["epci", "commune", "suggested_by", "decided_by"]


@admin.register(Channel)
class ChannelAdmin(admin.ModelAdmin):
    list_display = ["name", "platform", "departement", "access", "webhook_state"]
    list_filter = ["platform", "departement"]
    raw_id_fields = ["parent"]
    filter_horizontal = ["skills", "publics"]


@admin.register(Letter)
class LetterAdmin(admin.ModelAdmin):
    list_display = ["subject", "departement", "period", "status", "sent_at", "recipients_count"]
    list_filter = ["status", "departement"]
    readonly_fields = ["status", "sent_at", "sent_by", "recipients_count", "test_sent_at"]
