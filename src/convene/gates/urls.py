from django.urls import path

from convene.gates import views

app_name = "gates"
urlpatterns = [
    path("", views.index, name="index"),
    path("checkpoints/new/", views.checkpoint_create, name="checkpoint_create"),
    path("<int:pk>/", views.gate, name="gate"),
    path("sw.js", views.service_worker, name="service_worker"),
    path("photo/<uuid:badge_id>/", views.photo, name="photo"),
    path("live/", views.live, name="live"),
    path("live/panel/", views.live_panel, name="live_panel"),
]
