"""Django admin for CJS: accounts and partnerships can be managed; the register's records can be
read there but never changed or deleted (they are the history)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.http import HttpRequest

from cjreturns.register.models import (
    AuditEvent,
    Collection,
    Decision,
    Partnership,
    QueryAnswer,
    Submission,
    User,
)


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ("email",)
    list_display = ("email", "role", "partnership", "is_active", "last_login")
    list_filter = ("role", "is_active", "partnership")
    search_fields = ("email",)
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        ("Role", {"fields": ("role", "partnership")}),
        ("Access", {"fields": ("is_active", "is_staff", "is_superuser")}),
        ("Dates", {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": ("email", "role", "partnership", "password1", "password2"),
            },
        ),
    )


@admin.register(Partnership)
class PartnershipAdmin(admin.ModelAdmin):
    list_display = ("name", "ref_id")
    search_fields = ("name",)


@admin.register(Collection)
class CollectionAdmin(admin.ModelAdmin):
    list_display = ("year", "framework", "deadline")


class ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Submission)
class SubmissionAdmin(ReadOnly):
    list_display = (
        "partnership",
        "collection",
        "version",
        "status",
        "errors",
        "warnings",
        "uploaded_at",
    )
    list_filter = ("collection", "status")
    exclude = ("content",)  # the bytes are downloaded from the portal, never shown inline


@admin.register(QueryAnswer)
class QueryAnswerAdmin(ReadOnly):
    list_display = ("submission", "rule", "path", "by", "at")


@admin.register(Decision)
class DecisionAdmin(ReadOnly):
    list_display = ("submission", "decision", "by", "at")


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnly):
    list_display = ("at", "actor_email", "action", "partnership", "year")
    list_filter = ("action", "year")
