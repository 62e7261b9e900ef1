from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from accounts.models import User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    fieldsets = (*BaseUserAdmin.fieldsets, (_("作者资料"), {"fields": ("pen_name", "bio")}))
    list_display = ("username", "email", "pen_name", "is_staff", "is_active", "date_joined")
