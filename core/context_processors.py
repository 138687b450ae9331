from django.conf import settings

from core.programmes import Programme


def site(request):
    return {
        "SITE_NAME": "Birlik",
        "PROGRAMMES": Programme.choices,
        "MAP_TILE_URL": settings.MAP_TILE_URL,
    }
