from django.urls import path

from convene.bilaterals import views

app_name = "bilaterals"
urlpatterns = [
    path("", views.home, name="home"),
    path("delegations/<int:pk>/", views.delegation_page, name="delegation"),
    path("delegations/<int:pk>/request/", views.request_create, name="request_create"),
    path("delegations/<int:pk>/availability/", views.availability, name="availability"),
    path("delegations/<int:pk>/feed/reset/", views.feed_reset, name="feed_reset"),
    path("feed/<int:pk>/<str:token>.ics", views.feed, name="feed"),
    path("requests/<int:pk>/answer/", views.request_answer, name="request_answer"),
    path("requests/<int:pk>/cancel/", views.request_cancel, name="request_cancel"),
    path("requests/<int:pk>/place/", views.place, name="place"),
    path("requests/<int:pk>/unplace/", views.unplace, name="unplace"),
    path("setup/", views.setup, name="setup"),
    path("rooms/new/", views.room_create, name="room_create"),
    path("rooms/<int:pk>/", views.room_edit, name="room_edit"),
    path("rooms/<int:pk>/delete/", views.room_delete, name="room_delete"),
    path("schedule/", views.schedule, name="schedule"),
    path("schedule/instance.json", views.instance_download, name="instance"),
    path("runs/", views.run_start, name="run_start"),
    path("runs/<int:pk>/", views.run_status, name="run_status"),
    path("publish/", views.publish, name="publish"),
]
