"""Django's LocaleMiddleware, minus one thing the API must not have.

On a 404, LocaleMiddleware tries the path again under a language prefix and redirects there when
the prefixed path (or the same with a slash) resolves. The CMS serves any /<lang>/<slug>/ path,
so every API 404 would become a 302 to an HTML page. API answers are left as they are; the
language still comes from Accept-Language, and the Vary and Content-Language headers are set.
"""

from django.middleware.locale import LocaleMiddleware as DjangoLocaleMiddleware
from django.utils import translation
from django.utils.cache import patch_vary_headers

API_PREFIX = "/api/"


class LocaleMiddleware(DjangoLocaleMiddleware):
    def process_response(self, request, response):
        if request.path_info.startswith(API_PREFIX):
            patch_vary_headers(response, ("Accept-Language",))
            response.headers.setdefault("Content-Language", translation.get_language())
            return response
        return super().process_response(request, response)
