from django.urls import path

from convene.treaty import views

app_name = "treaty"
urlpatterns = [
    # Public, as on the UN Treaty Collection.
    path("", views.status_page, name="status"),
    path("status.csv", views.status_csv, name="status_csv"),
    path("status.json", views.status_json, name="status_json"),
    path("convention/", views.convention_page, name="convention"),
    path("convention/articles/<int:number>/confirm/", views.article_confirm,
         name="article_confirm"),
    path("notifications/", views.notification_list, name="notifications"),
    path("notifications/<int:pk>/", views.notification_detail, name="notification"),
    # The depositary.
    path("depositary/", views.depositary_home, name="depositary"),
    path("depositary/ceremony/", views.ceremony, name="ceremony"),
    path("depositary/ceremony/<int:delegation_pk>/sign/", views.ceremony_sign,
         name="ceremony_sign"),
    path("depositary/signatures/new/", views.signature_new, name="signature_new"),
    path("depositary/instruments/new/", views.instrument_new, name="instrument_new"),
    path("depositary/instruments/<int:pk>/withdraw/", views.instrument_withdraw,
         name="instrument_withdraw"),
    path("depositary/statements/new/", views.statement_new, name="statement_new"),
    path("depositary/statements/<int:pk>/withdraw/", views.statement_withdraw,
         name="statement_withdraw"),
    path("depositary/denunciations/new/", views.denunciation_new, name="denunciation_new"),
    path("depositary/objections/new/", views.objection_new, name="objection_new"),
    path("depositary/import/", views.status_import, name="import"),
]
