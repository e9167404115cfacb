from __future__ import annotations

from django.urls import path

from clarion.accounts import views

app_name = "accounts"

urlpatterns = [
    path("sign-in/", views.sign_in, name="sign-in"),
    path("sign-out/", views.sign_out, name="sign-out"),
    path("setup/<str:token>/", views.set_up, name="set-up"),
    path("account/", views.show_account, name="show-account"),
    path("account/workspace/", views.switch_workspace, name="switch-workspace"),
    path("account/tokens/", views.create_token, name="create-token"),
    path("account/tokens/<int:token_id>/revoke/", views.revoke_token, name="revoke-token"),
]
