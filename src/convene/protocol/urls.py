from django.urls import path

from convene.protocol import views

app_name = "protocol"
urlpatterns = [
    path("", views.index, name="index"),
    path("settings/", views.settings_view, name="settings"),
    path("sessions/<int:pk>/speakers/", views.speakers, name="speakers"),
    path("sessions/<int:pk>/speakers/print/", views.speakers_print, name="speakers_print"),
    path("sessions/<int:pk>/speakers/<int:entry_pk>/withdraw/", views.speaker_withdraw,
         name="speaker_withdraw"),
    path("sessions/<int:pk>/speakers/swaps/", views.swap_propose, name="swap_propose"),
    path("sessions/<int:pk>/speakers/swaps/<int:swap_pk>/", views.swap_decide,
         name="swap_decide"),
    path("sessions/<int:pk>/speakers/to-script/", views.speakers_to_script,
         name="speakers_to_script"),
    path("sessions/<int:pk>/seating/", views.seating_chart, name="seating"),
    path("draw/", views.draw, name="draw"),
    path("signing/", views.signing, name="signing"),
    path("signing/<int:signatory_pk>/full-powers/", views.full_powers_upload,
         name="full_powers_upload"),
    path("full-powers/<int:fp_pk>/check/", views.full_powers_check, name="full_powers_check"),
    path("full-powers/<int:fp_pk>/download/", views.full_powers_download,
         name="full_powers_download"),
]
