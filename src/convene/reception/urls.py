from django.urls import path

from convene.reception import views

app_name = "reception"
urlpatterns = [
    path("", views.board, name="board"),
    path("arrivals/", views.arrivals, name="arrivals"),
    path("flights/<int:pk>/status/", views.flight_status, name="flight_status"),
    path("flights/<int:pk>/change/", views.flight_change, name="flight_change"),
    path("compute/<slug:what>/", views.compute, name="compute"),
    path("conflicts/<int:pk>/resolve/", views.conflict_resolve, name="conflict_resolve"),
    path("conflicts/<int:pk>/incident/", views.conflict_incident, name="conflict_incident"),
    path("plans/", views.plans, name="plans"),
    path("delegations/<int:pk>/travel/", views.travel, name="travel"),
    path("delegations/<int:pk>/travel/import/", views.travel_import, name="travel_import"),
    path("delegations/<int:pk>/liaison/", views.liaison_set, name="liaison_set"),
    path("delegations/<int:pk>/plan/", views.plan, name="plan"),
    path("delegations/<int:pk>/plan.pdf", views.plan_pdf, name="plan_pdf"),
    path("delegations/<int:pk>/plan.ics", views.plan_feed, name="plan_feed"),
    path("run-sheet/", views.run_sheet, name="run_sheet"),
    path("movements/", views.movements, name="movements"),
    path("movements/<int:pk>/", views.movement_edit, name="movement_edit"),
    path("rooming/", views.rooming, name="rooming"),
    path("rooming/<int:pk>.xlsx", views.rooming_xlsx, name="rooming_xlsx"),
    path("rooming/<int:pk>.pdf", views.rooming_pdf, name="rooming_pdf"),
]
