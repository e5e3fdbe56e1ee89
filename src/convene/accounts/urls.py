from django.urls import path

from convene.accounts import views

app_name = "team"
urlpatterns = [
    path("delegations/<int:pk>/focal-points/new/", views.focal_point_add, name="focal_point_add"),
    path("api-tokens/", views.api_tokens, name="api_tokens"),
    path("api-tokens/<int:pk>/revoke/", views.api_token_revoke, name="api_token_revoke"),
]
