from django.urls import path

from convene.accounts import views

app_name = "team"
urlpatterns = [
    path("delegations/<int:pk>/focal-points/new/", views.focal_point_add, name="focal_point_add"),
]
