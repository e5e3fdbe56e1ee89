from django.apps import AppConfig


class DelegationsConfig(AppConfig):
    name = "convene.delegations"
    label = "delegations"
