from django.urls import path

from convene.programme import views

app_name = "programme"
urlpatterns = [
    path("", views.index, name="index"),
    path("agenda/", views.agenda, name="agenda"),
    path("conflicts/", views.conflicts_view, name="conflicts"),
    path("rooms/", views.rooms, name="rooms"),
    path("sessions/new/", views.session_form, name="session_new"),
    path("sessions/<int:pk>/", views.session_detail, name="session"),
    path("sessions/<int:pk>/edit/", views.session_form, name="session_edit"),
    path("sessions/<int:pk>/people/<int:part_pk>/remove/", views.participation_remove,
         name="participation_remove"),
    path("sessions/<int:pk>/script/", views.script, name="script"),
    path("sessions/<int:pk>/script/pdf/", views.script_pdf, name="script_pdf"),
    path("sessions/<int:pk>/script/<int:cue_pk>/", views.cue_edit, name="cue_edit"),
    path("sessions/<int:pk>/script/<int:cue_pk>/action/", views.cue_action, name="cue_action"),
    path("sessions/<int:pk>/console/", views.console, name="console"),
    path("sessions/<int:pk>/runs/", views.runs, name="runs"),
    path("sessions/<int:pk>/runs/start/", views.run_start, name="run_start"),
    path("sessions/<int:pk>/runs/<int:run_pk>/go/", views.run_go, name="run_go"),
    path("sessions/<int:pk>/runs/<int:run_pk>/stop/", views.run_stop, name="run_stop"),
    path("sessions/<int:pk>/runs/<int:run_pk>/findings/", views.finding_add,
         name="finding_add"),
    path("sessions/<int:pk>/follow/", views.follow, name="follow"),
    path("sessions/<int:pk>/live/", views.live_panel, name="live_panel"),
    path("follow-ups/", views.followups, name="followups"),
    path("follow-ups/hand-over/", views.findings_hand_over, name="findings_hand_over"),
    path("follow-ups/<int:finding_pk>/status/", views.finding_status, name="finding_status"),
    path("calendars/", views.feeds, name="feeds"),
    path("calendars/new/", views.feed_create, name="feed_create"),
    path("calendars/<int:feed_pk>/revoke/", views.feed_revoke, name="feed_revoke"),
    path("calendar/<str:token>.ics", views.ical, name="ical"),
]
