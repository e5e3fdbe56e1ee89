from django.urls import path

from convene.core import views

app_name = "core"
urlpatterns = [
    path("", views.home, name="home"),
    path("welcome/", views.after_login, name="after_login"),
    path("dashboard/", views.dashboard_view, name="dashboard"),
]
