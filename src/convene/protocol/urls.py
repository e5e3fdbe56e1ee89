from django.urls import path  # noqa: F401

app_name = "protocol"
urlpatterns: list = []
