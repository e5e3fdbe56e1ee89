from django.urls import path

from convene.cooperation import views

app_name = "cooperation"
urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("new/", views.new_request, name="new"),
    path("cases/<int:pk>/", views.case_detail, name="case"),
    path("cases/<int:pk>/edit/", views.new_request, name="edit"),
    path("cases/<int:pk>/act/", views.act, name="act"),
    path("transfers/<int:pk>/decide/", views.decide_transfer, name="decide_transfer"),
    path("evidence/<int:pk>/", views.evidence, name="evidence"),
    path("directory/", views.directory_page, name="directory"),
    path("directory/refresh/", views.directory_refresh, name="directory_refresh"),
    path("statistics/", views.statistics_page, name="statistics"),
    path("statistics/export.csv", views.statistics_export, name="statistics_export"),
    path("roster/", views.roster, name="roster"),
]
