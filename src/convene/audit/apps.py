from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "convene.audit"
    label = "audit"
