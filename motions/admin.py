"""Back office for formal suggestions, scoped by area. Sessions are plain records edited here; a formal
suggestion is read-only (its status moves only through the services: the pages and the API)."""

from django.contrib import admin

from liaison.admin_scope import CHOICE_SCOPES, AreaScopedAdmin, ScopedInline

from .models import Contact, Cosigner, FormalSuggestion, Session

CHOICE_SCOPES.update({"motions.session": "area", "motions.formalsuggestion": "area"})


@admin.register(Session)
class SessionAdmin(AreaScopedAdmin):
    list_display = ["name", "area", "term", "number", "starts_on", "ends_on"]
    list_select_related = ["area"]
    list_filter = ["term"]
    autocomplete_fields = ["area"]
    search_fields = ["name"]


class CosignerInline(ScopedInline, admin.TabularInline):
    model = Cosigner
    extra = 0
    can_delete = False
    readonly_fields = ["delegate", "confirmed_at"]

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class ContactInline(CosignerInline):
    model = Contact
    readonly_fields = ["unit", "round", "way", "note", "at", "author"]


@admin.register(FormalSuggestion)
class FormalSuggestionAdmin(AreaScopedAdmin):
    list_display = ["title", "lead", "session", "kind", "submitted_at"]
    list_select_related = ["lead", "session"]
    list_filter = ["kind"]
    search_fields = ["title"]
    inlines = [CosignerInline, ContactInline]
    readonly_fields = [
        "suggestion",
        "area",
        "session",
        "lead",
        "title",
        "content",
        "kind",
        "submitted_at",
        "leader",
        "reply_public",
    ]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
