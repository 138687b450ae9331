"""The SMS gateway's callbacks, mounted at /hooks/ (see messaging.hooks)."""

from django.urls import path

from messaging import hooks

app_name = "messaging_hooks"
urlpatterns = [
    path("sms/inbound", hooks.sms_inbound, name="sms_inbound"),
    path("sms/status", hooks.sms_status, name="sms_status"),
]
