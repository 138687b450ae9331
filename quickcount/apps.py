from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class QuickCountConfig(AppConfig):
    name = "quickcount"
    verbose_name = _("Quick count")
