from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.core.exceptions import PermissionDenied, ValidationError
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts import services
from accounts.models import AuthorApplication, SignInRecord, User
from accounts.selectors import accounts_sharing_signals
from cms.errors import StateConflict


class SignInRecordInline(admin.TabularInline):
    model = SignInRecord
    extra = 0
    can_delete = False
    fields = ("created_at", "kind", "ip_address", "user_agent")
    readonly_fields = fields
    ordering = ("-created_at",)
    max_num = 0  # records are written by sign-ins only
    verbose_name_plural = gettext_lazy("登录记录（最近的在前）")


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    fieldsets = (
        *BaseUserAdmin.fieldsets,
        (gettext_lazy("作者资料与邮箱"), {"fields": ("pen_name", "bio", "email_verified_at")}),
        (gettext_lazy("多账号线索"), {"fields": ("sharing_accounts",)}),
    )
    readonly_fields = ("sharing_accounts",)
    list_display = ("username", "email", "pen_name", "role_list", "email_verified_at", "is_active", "date_joined")
    list_filter = ("groups", "is_staff", "is_active", ("email_verified_at", admin.EmptyFieldListFilter))
    search_fields = ("username", "email", "pen_name")
    inlines = [SignInRecordInline]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("groups")

    @admin.display(description=gettext_lazy("与其共用 IP 或浏览器的账号"))
    def sharing_accounts(self, obj: User) -> str:
        if obj.pk is None:
            return "—"
        names = list(accounts_sharing_signals(obj).values_list("username", flat=True)[:50])
        return _("、").join(names) or _("没有")

    @admin.display(description=gettext_lazy("角色"))
    def role_list(self, obj: User) -> str:
        return _("、").join(group.name for group in obj.groups.all())


@admin.register(SignInRecord)
class SignInRecordAdmin(admin.ModelAdmin):
    list_display = ("created_at", "user", "kind", "ip_address", "user_agent")
    list_filter = ("kind",)
    search_fields = ("user__username", "ip_address", "user_agent")
    list_select_related = ("user",)
    date_hierarchy = "created_at"
    readonly_fields = ("user", "kind", "ip_address", "user_agent", "created_at")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(AuthorApplication)
class AuthorApplicationAdmin(admin.ModelAdmin):
    list_display = ("created_at", "user", "pen_name", "status", "decided_by", "decided_at")
    list_filter = ("status",)
    search_fields = ("user__username", "pen_name")
    list_select_related = ("user", "decided_by")
    readonly_fields = ("user", "status", "created_at", "decided_by", "decided_at", "decision_note")
    fields = ("user", "pen_name", "bio", "links", "motivation", *readonly_fields[1:])
    actions = ["approve", "decline"]

    def has_add_permission(self, request):
        return False  # readers apply on /become-author/

    def _decide(self, request, queryset, decide) -> None:
        done = 0
        for application in queryset:
            try:
                decide(application)
            except (PermissionDenied, StateConflict) as error:
                self.message_user(
                    request, _("%(item)s：%(problem)s") % {"item": application, "problem": error}, messages.WARNING
                )
            except ValidationError as error:
                self.message_user(
                    request,
                    _("%(item)s：%(problem)s") % {"item": application, "problem": error.messages[0]},
                    messages.ERROR,
                )
            else:
                done += 1
        if done:
            self.message_user(request, _("已处理 %(count)d 份申请，申请人会收到邮件。") % {"count": done})

    @admin.action(description=gettext_lazy("通过所选申请"), permissions=["review"])
    def approve(self, request, queryset):
        self._decide(
            request,
            queryset,
            lambda application: services.author_application_approve(actor=request.user, application=application),
        )

    @admin.action(description=gettext_lazy("不通过所选申请（需填写原因）"), permissions=["review"])
    def decline(self, request, queryset):
        # A decline needs a note for the applicant: ask for it on an intermediate page.
        note = request.POST.get("note", "").strip() if "confirm" in request.POST else None
        if note:
            self._decide(
                request,
                queryset,
                lambda application: services.author_application_decline(
                    actor=request.user, application=application, note=note
                ),
            )
            return None
        return TemplateResponse(
            request,
            "admin/accounts/authorapplication/decline.html",
            {
                **self.admin_site.each_context(request),
                "title": _("填写不通过的原因"),
                "applications": queryset,
                "opts": self.model._meta,
                "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
                "missing_note": note == "",
            },
        )

    def has_review_permission(self, request) -> bool:
        return request.user.has_perm("accounts.review_authorapplication")
