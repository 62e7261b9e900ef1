from django.contrib import admin

from moderation.models import (
    AuditEntry,
    ConventionVersion,
    Finding,
    Rule,
    RuleCategory,
    ScanRecord,
    Term,
    TextModelVersion,
)


class RuleInline(admin.TabularInline):
    model = Rule
    extra = 0
    fields = ("code", "title", "severity", "text", "category")


@admin.register(ConventionVersion)
class ConventionVersionAdmin(admin.ModelAdmin):
    list_display = ("title", "version", "is_current", "created_at")
    inlines = [RuleInline]


@admin.register(RuleCategory)
class RuleCategoryAdmin(admin.ModelAdmin):
    list_display = ("number", "name", "convention")


@admin.register(Rule)
class RuleAdmin(admin.ModelAdmin):
    list_display = ("code", "title", "severity", "convention")
    list_filter = ("convention", "severity", "category__number")
    search_fields = ("code", "title", "text")


class ReadOnlyAdmin(admin.ModelAdmin):
    """Shown for inspection only: writes go through moderation.services (audit log, lexicon
    version), which the admin's generic save would bypass."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Term)
class TermAdmin(ReadOnlyAdmin):
    list_display = ("term", "rule_code", "action", "whole_word", "enabled", "updated_at")
    list_filter = ("enabled", "action", "rule_code")
    search_fields = ("term", "note")


class FindingInline(admin.TabularInline):
    model = Finding
    extra = 0
    fields = ("rule_code", "detector", "field", "start", "end", "match", "score", "action")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ScanRecord)
class ScanRecordAdmin(ReadOnlyAdmin):
    list_display = ("content_type", "object_id", "verdict", "status", "is_latest", "held", "scanned_at")
    list_filter = ("verdict", "status", "is_latest", "content_type")
    inlines = [FindingInline]


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdmin):
    list_display = ("created_at", "actor", "action", "target_repr")
    list_filter = ("action",)
    search_fields = ("action", "target_repr")


@admin.register(TextModelVersion)
class TextModelVersionAdmin(ReadOnlyAdmin):
    """Inspection only: activating a version needs a dry run (the 模型版本 page, /moderation/models/)."""

    list_display = ("number", "status", "origin", "content_hash", "size_bytes", "created_at", "activated_at")
    list_filter = ("status", "origin")
    exclude = ("data",)
