from __future__ import annotations

from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "cjreturns.portal"
    label = "portal"
    verbose_name = "Collection portal"
