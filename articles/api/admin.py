"""Feed tokens in the admin: made (the token shown once), listed by their prefix, revoked."""

from django.contrib import admin, messages

from .feedtokens import assign_token
from .models import FeedToken


@admin.register(FeedToken)
class FeedTokenAdmin(admin.ModelAdmin):
    list_display = ("prefix", "name", "api_key", "created", "revoked")
    list_filter = ("revoked",)
    search_fields = ("prefix", "name", "api_key__name")
    fields = ("api_key", "name", "revoked", "prefix", "created")
    readonly_fields = ("prefix", "created")
    actions = ["revoke"]

    def get_readonly_fields(self, request, obj=None):
        return (*self.readonly_fields, "api_key") if obj is not None else self.readonly_fields

    def save_model(self, request, obj, form, change):
        if not change:
            token = assign_token(obj)
            messages.warning(
                request,
                f"The feed token is {token}: store it now, it cannot be shown again. A feed reader subscribes to "
                f"/api/articles/feed.atom?token={token} with any of the list's filters.",
            )
        super().save_model(request, obj, form, change)

    @admin.action(description="Revoke the selected feed tokens")
    def revoke(self, request, queryset):
        count = queryset.update(revoked=True)
        self.message_user(request, f"Revoked {count} feed token{'s' if count != 1 else ''}.")
