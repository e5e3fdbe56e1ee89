from django.apps import AppConfig


class DirectoryConfig(AppConfig):
    name = "convene.directory"
    label = "directory"
