"""The observer's phone page, /<lang>/observer/, and its service worker.

The page is the same for every observer (their data comes from the API with the device token
kept on the phone), so the service worker can keep a copy and open it without a connection.
The worker is served from /<lang>/observer/sw.js, so that its scope is the page's; it learns
the static files' addresses (hashed by name in production) from this view."""

import functools
import hashlib
import json

from django.conf import settings
from django.contrib.staticfiles import finders
from django.shortcuts import render
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import get_language, gettext
from django.views.decorators.http import require_GET

from core.uploads import IMAGE_MAX_BYTES
from questionnaires.engine import NUMBER_LIMIT, TEXT_MAX_LENGTH

# What the page needs to start without a connection (the service worker keeps them).
SHELL_STATIC = (
    "css/birlik.css",
    "observation/phone.css",
    "observation/expressions.js",
    "observation/store.js",
    "observation/phone.js",
    "img/logo.svg",
    "img/favicon.svg",
)
API_PREFIX = "/api/v1/observation/"


def phone_strings() -> dict[str, str]:
    """Every sentence the page's script shows, in the page's language. Placeholders are
    %(name)s, filled in by the script."""
    return {
        "loading": gettext("Loading…"),
        "online": gettext("Online."),
        "offline": gettext("No connection. Forms you send are kept on this phone."),
        "waiting": gettext("Waiting to be sent: %(count)s"),
        "allSent": gettext("Everything you filled in has been sent."),
        "sendNow": gettext("Send now"),
        "stateWaiting": gettext("Waiting for a connection"),
        "stateSending": gettext("Sending…"),
        "stateSent": gettext("Sent at %(time)s"),
        "stateRejected": gettext("Not accepted: correct it and send again"),
        "stateRetry": gettext("Will try again soon: %(reason)s"),
        "correct": gettext("Correct and send again"),
        "discard": gettext("Delete"),
        "discardConfirm": gettext("Delete this form from the phone? It has not been sent."),
        "savedOffline": gettext(
            "Saved on this phone. It will be sent as soon as there is a connection."
        ),
        "sent": gettext("Sent. Thank you!"),
        "noConnection": gettext("The server could not be reached. Check your connection."),
        "serverTrouble": gettext("The server is busy. Your form is kept and sent later."),
        "codeSent": gettext("If this number belongs to an observer, a code is on its way by SMS."),
        "enterPhone": gettext("Enter your phone number."),
        "enterCode": gettext("Enter the code from the SMS."),
        "enterAccessCode": gettext("Enter the access code."),
        "signedOutExpired": gettext(
            "Your sign-in has ended. Sign in again; the forms waiting on this phone are kept."
        ),
        "signOutPending": gettext(
            "Forms not sent yet: %(count)s. Signing out deletes them from this phone. "
            "Press “Sign out” again to sign out anyway."
        ),
        "observerNumber": gettext("Observer No. %(number)s"),
        "notDeployed": gettext(
            "You can send forms once your coordinator has deployed you to a polling station."
        ),
        "noStations": gettext("No polling station has been given to you yet."),
        "inSample": gettext(
            "This station is in the quick-count sample: send the results protocol as soon as "
            "the count ends."
        ),
        "noForms": gettext("No form is open at the moment."),
        "noRecent": gettext("Nothing sent yet."),
        "lastSent": gettext("Last sent at %(time)s"),
        "offlineCopy": gettext("No connection: showing what this phone saved at %(time)s."),
        "questionOf": gettext("Question %(number)s of %(total)s"),
        "required": gettext("required"),
        "optional": gettext("optional"),
        "yes": gettext("Yes"),
        "no": gettext("No"),
        "range": gettext("From %(min)s to %(max)s"),
        "atLeast": gettext("At least %(min)s"),
        "atMost": gettext("At most %(max)s"),
        "needsAnswer": gettext("This question needs an answer."),
        "wholeNumber": gettext("Enter a whole number."),
        "numberRange": gettext("Enter a number from %(min)s to %(max)s."),
        "numberMin": gettext("Enter a number of at least %(min)s."),
        "numberMax": gettext("Enter a number of at most %(max)s."),
        "chooseOne": gettext("Choose one of the options given."),
        "timeFormat": gettext("Enter a time as HH:MM, for example 07:45."),
        "textLength": gettext("Write at most %(count)s characters."),
        "photoType": gettext("Send a photo as JPEG, PNG or WebP."),
        "photoSize": gettext("The photo is too large: at most %(limit)s MB."),
        "photoChosen": gettext("Photo chosen: %(name)s (%(size)s KB)"),
        "photoRemove": gettext("Remove the photo"),
        "errorSummary": gettext("Some answers need attention:"),
        "rejected": gettext("The form was not accepted; see what is wrong with each answer."),
        "formGone": gettext("This form is no longer open."),
        "unknownForm": gettext("This form or station is not available on this phone."),
        "draftRestored": gettext("Your unsent answers were restored."),
        "station": gettext("Polling station %(code)s"),
    }


@functools.lru_cache(maxsize=4)
def _shell_version(urls: tuple[str, ...]) -> str:
    """Changes whenever a shell file does: in production the hashed names change, on a laptop
    (plain names) the contents are read."""
    digest = hashlib.sha256("\n".join(urls).encode())
    for path in SHELL_STATIC:
        found = finders.find(path)
        if found:
            with open(found, "rb") as handle:
                digest.update(handle.read())
    return digest.hexdigest()[:16]


def shell_version(urls: tuple[str, ...]) -> str:
    if settings.DEBUG:
        _shell_version.cache_clear()
    return _shell_version(urls)


@require_GET
def phone(request):
    language = get_language()
    context = {
        "strings": phone_strings(),
        "config": {
            "api": API_PREFIX,
            "language": language,
            "serviceWorker": reverse("observation:service_worker"),
            "numberLimit": NUMBER_LIMIT,
            "textMaxLength": TEXT_MAX_LENGTH,
            "photoMaxBytes": IMAGE_MAX_BYTES,
        },
        "languages": [(code, name, f"/{code}/observer/") for code, name in settings.LANGUAGES],
    }
    return render(request, "observation/phone/app.html", context)


@require_GET
def service_worker(request):
    urls = tuple(static(path) for path in SHELL_STATIC)
    page = reverse("observation:phone")
    config = {
        "version": shell_version(urls),
        "language": get_language(),
        "page": page,
        "shell": list(urls),
        "me": f"{API_PREFIX}me",
    }
    response = render(
        request,
        "observation/phone/sw.js",
        {"config": json.dumps(config)},
        content_type="text/javascript; charset=utf-8",
    )
    # The browser checks for a new worker on every visit; never let a cache answer for it.
    response["Cache-Control"] = "no-cache"
    return response
