"""The staff area, under /<lang>/staff/."""

from django.urls import path

from backoffice.views import audit, home, tokens, users

app_name = "backoffice"
urlpatterns = [
    path("", home.home, name="home"),
    path("programmes/<slug:slug>/", home.programme, name="programme"),
    path("audit/", audit.audit_list, name="audit_list"),
    path("audit/export.csv", audit.audit_export, name="audit_export"),
    path("audit/<int:pk>/", audit.audit_detail, name="audit_detail"),
    path("users/", users.user_list, name="user_list"),
    path("users/new/", users.user_create, name="user_create"),
    path("users/<int:pk>/", users.user_detail, name="user_detail"),
    path("users/<int:pk>/roles/", users.user_roles, name="user_roles"),
    path("users/<int:pk>/details/", users.user_profile, name="user_profile"),
    path("users/<int:pk>/deactivate/", users.user_deactivate, name="user_deactivate"),
    path("users/<int:pk>/reactivate/", users.user_reactivate, name="user_reactivate"),
    path("users/<int:pk>/invite/", users.user_invite, name="user_invite"),
    path(
        "users/<int:pk>/reset-two-factor/",
        users.user_reset_two_factor,
        name="user_reset_two_factor",
    ),
    path("api-tokens/", tokens.token_list, name="token_list"),
    path("api-tokens/new/", tokens.token_create, name="token_create"),
    path("api-tokens/<int:pk>/revoke/", tokens.token_revoke, name="token_revoke"),
]
