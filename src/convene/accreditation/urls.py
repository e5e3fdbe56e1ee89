from django.urls import path

from convene.accreditation import views

app_name = "accreditation"
urlpatterns = [
    path("", views.queue, name="queue"),
    path("bulk/", views.bulk, name="bulk"),
    path("desk/", views.desk, name="desk"),
    path("people/<int:pk>/", views.person, name="person"),
    path("people/<int:pk>/photo/", views.photo, name="photo"),
    path("people/<int:pk>/photo/upload/", views.photo_upload, name="photo_upload"),
    path("people/<int:pk>/submit/", views.submit, name="submit"),
    path("people/<int:pk>/category/", views.category, name="category"),
    path("people/<int:pk>/access/", views.access, name="access"),
    path("people/<int:pk>/vetting/", views.vet, name="vet"),
    path("people/<int:pk>/decision/", views.decide, name="decide"),
    path("people/<int:pk>/revoke/", views.revoke, name="revoke"),
    path("people/<int:pk>/collect/", views.collect, name="collect"),
    path("people/<int:pk>/print/", views.print_one, name="print_one"),
    path("badges/", views.badges, name="badges"),
    path("badges/<int:pk>/", views.batch_status, name="batch_status"),
    path("badges/<int:pk>/part-<int:part>.pdf", views.batch_download, name="batch_download"),
    path("configuration/", views.configuration, name="configuration"),
    path("configuration/categories/new/", views.category_edit, name="category_new"),
    path("configuration/categories/<int:pk>/", views.category_edit, name="category_edit"),
    path("configuration/zones/", views.zone_create, name="zone_create"),
    path("configuration/validity/", views.validity, name="validity"),
]
