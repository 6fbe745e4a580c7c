from __future__ import annotations

from django.apps import AppConfig


class RegisterConfig(AppConfig):
    name = "cjreturns.register"
    label = "register"
    verbose_name = "Register of returns"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        post_migrate.connect(_load_partnerships, sender=self)


def _load_partnerships(**kwargs: object) -> None:
    """The register's partnerships are the reference data's: kept in step after every migrate."""
    from cjreturns.register.services.partnerships import sync_partnerships

    sync_partnerships()
