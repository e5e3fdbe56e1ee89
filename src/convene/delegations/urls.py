from django.urls import path

from convene.delegations import views

app_name = "delegations"
urlpatterns = [
    path("", views.delegation_list, name="list"),
    path("invite/", views.delegation_invite, name="invite"),
    path("<int:pk>/", views.delegation_detail, name="detail"),
    path("<int:pk>/settings/", views.delegation_settings, name="settings"),
    path("<int:pk>/members/new/", views.member_create, name="member_create"),
    path("<int:pk>/members/import/", views.member_import, name="member_import"),
    path("<int:pk>/members/<int:member_pk>/", views.member_edit, name="member_edit"),
    path("<int:pk>/members/<int:member_pk>/decision/", views.member_decide,
         name="member_decide"),
    path("<int:pk>/note-verbale/", views.note_verbale_upload, name="note_verbale"),
    path("<int:pk>/note-verbale/download/", views.note_verbale_download,
         name="note_verbale_download"),
]
