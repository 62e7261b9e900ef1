from django.contrib import admin

from articles.models import Article


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    list_display = ("title", "status", "byline", "source", "published_at")
    list_filter = ("status", "featured")
    search_fields = ("title", "summary")
    prepopulated_fields = {"slug": ("title",)}
