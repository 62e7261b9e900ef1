from django.contrib import admin

from moderation.models import ConventionVersion, Rule, RuleCategory


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
