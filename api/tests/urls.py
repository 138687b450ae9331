"""A URLconf for API tests: the site's own URLs plus a small API at /api/test/ with endpoints
that fail on purpose, so every error path is exercised through the real middleware."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.urls import path
from ninja import Router
from ninja.pagination import paginate

from api.auth import token_auth
from api.base import BirlikAPI
from api.errors import ApiError
from api.models import Scope
from api.pagination import BirlikPagination
from birlik.urls import urlpatterns as site_urlpatterns

router = Router()


@router.get("/numbers", response=list[int])
@paginate(BirlikPagination)
def numbers(request, upto: int = 1234):
    return list(range(1, upto + 1))


@router.get("/users", response=list[str])
@paginate(BirlikPagination)
def users(request):
    from accounts.models import User

    return User.objects.order_by("email").values_list("email", flat=True)


@router.get("/boom")
def boom(request):
    raise RuntimeError("secret internals: database password is hunter2")


@router.get("/missing")
def missing(request):
    raise Http404("no such thing")


@router.get("/forbidden")
def forbidden(request):
    raise PermissionDenied


@router.get("/conflict")
def conflict(request):
    raise ApiError(409, "already_done", "Already done.", details={"id": 7})


@router.get("/write", auth=token_auth(Scope.GEO_WRITE))
def write(request):
    return {"ok": True}


test_api = BirlikAPI(title="Test API", version="test", urls_namespace="api-test")
test_api.add_router("", router)

urlpatterns = [path("api/test/", test_api.urls), *site_urlpatterns]
