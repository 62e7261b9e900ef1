from django.contrib import admin

from articles.models import Article, EditorialComment, Revision, Tag


class RevisionInline(admin.TabularInline):
    model = Revision
    extra = 0
    fields = ("number", "title", "author", "created_at")
    readonly_fields = fields
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    list_display = ("title", "status", "held", "byline", "source", "claimed_by", "published_at")
    list_filter = ("status", "featured", "held", "originality")
    search_fields = ("title", "summary", "byline", "source")
    raw_id_fields = ("author", "claimed_by")
    filter_horizontal = ("tags",)
    # The workflow (articles.services) owns these: moving an article here would skip its
    # checks, audit entries, scans and e-mails. Use the review screen at /editor/.
    readonly_fields = (
        "status",
        "claimed_by",
        "claimed_at",
        "submitted_at",
        "scheduled_at",
        "published_at",
        "unpublished_at",
        "unpublish_reason",
        "held",
        "hold_reason",
        "created_at",
        "updated_at",
        # Set on the review screen (articles.addresses.article_set_slug), which keeps the old
        # address as a redirect and purges the cache.
        "slug",
        "trashed_at",
        "trashed_by",
    )
    inlines = [RevisionInline]


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    list_display = ("name", "slug", "created_at")
    search_fields = ("name", "slug")

    def save_model(self, request, obj, form, change):
        # A changed slug goes through the service: the old address redirects, the lists purge.
        if change and "slug" in form.changed_data:
            from articles.addresses import tag_set_slug

            new_slug = obj.slug
            obj.slug = form.initial["slug"]
            super().save_model(request, obj, form, change)
            tag_set_slug(actor=request.user, tag=obj, slug=new_slug)
            obj.refresh_from_db()
            return
        super().save_model(request, obj, form, change)


@admin.register(Revision)
class RevisionAdmin(admin.ModelAdmin):
    list_display = ("article", "number", "title", "author", "created_at")
    raw_id_fields = ("article", "author")
    readonly_fields = ("article", "number", "title", "summary", "body", "author", "created_at")


@admin.register(EditorialComment)
class EditorialCommentAdmin(admin.ModelAdmin):
    list_display = ("article", "author", "is_change_request", "resolved", "created_at")
    list_filter = ("is_change_request", "resolved")
    raw_id_fields = ("article", "author", "parent", "resolved_by")
