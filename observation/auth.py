"""API authentication for observers' devices: `Authorization: Bearer obs_...`.

@router.post("/submissions", auth=device_auth)
def submit(request, ...):
    request.observer  # the observer the device belongs to
"""

from django.http import HttpRequest
from ninja.security import HttpBearer

from observation.devices import authenticate_device
from observation.models import ObserverDevice


class DeviceAuth(HttpBearer):
    openapi_bearerFormat = "obs_…"
    openapi_description = (
        "A device token an observer receives when signing in on the phone page "
        "(`POST /api/v1/observation/sign-in/...`), sent as `Authorization: Bearer obs_...`."
    )

    def __call__(self, request: HttpRequest) -> ObserverDevice | None:
        scheme, _space, raw_token = request.headers.get(self.header, "").partition(" ")
        if scheme.lower() != "bearer" or not raw_token.strip():
            return None
        return self.authenticate(request, raw_token.strip())

    def authenticate(self, request: HttpRequest, token: str) -> ObserverDevice | None:
        device = authenticate_device(token)
        if device is None:
            return None
        request.observer = device.observer
        request.observer_device = device
        return device


device_auth = DeviceAuth()
