"""Fill a fresh (migrated) database with the synthetic demo: geography, site content, and one
account per staff role plus a citizen, all with a known password. Safe to run again: it only
adds what is missing and puts the demo accounts back to their known sign-in details.

Staff must use two-factor sign-in, so the demo staff are enrolled already, all with one shared
authenticator key that the command prints (with each account's recovery codes); a person adds
that key to an authenticator app once and can then sign in as any role.
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.auth.password_validation import validate_password
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.roles import Role, sync_roles

DEMO_DOMAIN = "demo.birlik.az"
DEMO_PASSWORD = "demo-Birlik-2026"  # noqa: S105  (published on purpose: demo accounts only)
# One base32 key for every demo staff account, so one authenticator entry serves them all.
DEMO_TOTP_SECRET = "BIRLIKDEMOSTAFFTOTPSECRETAZ23456"  # noqa: S105
CITIZEN = "citizen"
# Double entry needs two clerks and a third to settle differences: two more demo clerks.
EXTRA_CLERKS = ("data_clerk_2", "data_clerk_3")


def demo_email(name: str) -> str:
    return f"{name.replace('_', '-')}@{DEMO_DOMAIN}"


class Command(BaseCommand):
    help = "Create the demo data set and demo accounts (run `migrate` first)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--stations",
            type=int,
            default=6500,
            help="Number of synthetic polling stations (default 6500, as in Azerbaijan).",
        )
        parser.add_argument(
            "--port", type=int, default=8000, help="Port shown in the printed address."
        )
        parser.add_argument(
            "--no-content", action="store_true", help="Skip the CMS pages and articles."
        )
        parser.add_argument(
            "--allow-production",
            action="store_true",
            help="Run even with HTTPS=1 (the demo accounts' passwords are public).",
        )

    def handle(self, *args, stations: int, port: int, no_content: bool, **options):
        if getattr(settings, "HTTPS", False) and not options["allow_production"]:
            raise CommandError(
                _(
                    "This looks like a production setup (HTTPS=1). The demo accounts have "
                    "published passwords; pass --allow-production if you really mean it."
                )
            )
        build_geography, build_content = self._builders(no_content)
        validate_password(DEMO_PASSWORD)

        with transaction.atomic():
            sync_roles()
            accounts = self._accounts()
        administrator = accounts[Role.ADMINISTRATOR][0]

        self.stdout.write(_("Building the demo geography…"))
        geography = build_geography(stations=stations, actor=administrator)
        self.stdout.write(f"  {geography}")
        from elections.demo import build_demo_elections

        self.stdout.write(_("Building the demo elections…"))
        self.stdout.write(f"  {build_demo_elections(actor=administrator)}")
        from observers.demo import build_demo_observers

        self.stdout.write(_("Building the demo observers…"))
        self.stdout.write(f"  {build_demo_observers(actor=administrator)}")
        from questionnaires.demo import build_demo_questionnaires

        self.stdout.write(_("Building the demo forms…"))
        self.stdout.write(f"  {build_demo_questionnaires(actor=administrator)}")
        from observation.demo import build_demo_observation

        self.stdout.write(_("Building the demo election-day reports…"))
        self.stdout.write(f"  {build_demo_observation(actor=administrator)}")
        from incidents.demo import build_demo_incidents

        self.stdout.write(_("Building the demo incidents…"))
        self.stdout.write(f"  {build_demo_incidents(actor=administrator)}")
        from results.demo import build_demo_results

        self.stdout.write(_("Building the demo result protocols and official results…"))
        self.stdout.write(f"  {build_demo_results(actor=administrator)}")
        from forensics.demo import build_demo_forensics

        self.stdout.write(_("Running the forensic tests on the demo official results…"))
        self.stdout.write(f"  {build_demo_forensics(actor=administrator)}")
        from quickcount.demo import build_demo_quickcount

        self.stdout.write(_("Building the demo quick count…"))
        self.stdout.write(f"  {build_demo_quickcount(actor=administrator)}")
        from statements.demo import build_demo_statements

        self.stdout.write(_("Building the demo statement…"))
        self.stdout.write(f"  {build_demo_statements(actor=administrator)}")
        if build_content is not None:
            self.stdout.write(_("Building the demo site content…"))
            content = build_content()
            self.stdout.write(f"  {content}")

        self._print_sign_ins(accounts, port)

    def _builders(self, no_content: bool):
        try:
            from geo.demo import build_demo_geography
        except ImportError as error:
            raise CommandError(
                _("The demo geography builder (geo.demo.build_demo_geography) is missing: %s")
                % error
            ) from error
        if no_content:
            return build_demo_geography, None
        try:
            from publications.demo import build_demo_content
        except ImportError as error:
            raise CommandError(
                _("The demo content builder (publications.demo.build_demo_content) is missing: %s")
                % error
            ) from error
        return build_demo_geography, build_demo_content

    def _accounts(self) -> dict[str, tuple]:
        """{role or "citizen": (user, recovery codes)}, created or reset to the demo values."""
        accounts = {}
        for role in Role:
            user = self._user(demo_email(role.value), str(role.label), staff=True)
            user.groups.set([Group.objects.get(name=role.value)])
            if role == Role.ADMINISTRATOR and not (user.is_superuser and user.is_staff):
                user.is_superuser = user.is_staff = True
                user.save(update_fields=["is_superuser", "is_staff"])
            accounts[role.value] = (user, self._two_factor(user))
        for name in EXTRA_CLERKS:
            user = self._user(demo_email(name), str(Role.DATA_CLERK.label), staff=True)
            user.groups.set([Group.objects.get(name=Role.DATA_CLERK.value)])
            accounts[name] = (user, self._two_factor(user))
        citizen = self._user(demo_email(CITIZEN), _("Demo citizen"), staff=False)
        citizen.groups.clear()
        accounts[CITIZEN] = (citizen, [])
        return accounts

    def _user(self, email: str, label: str, *, staff: bool):
        from allauth.account.models import EmailAddress

        user, created = get_user_model().objects.get_or_create(
            email=email,
            defaults={
                "username": email,
                "full_name": _("Demo %(role)s") % {"role": label.lower()} if staff else label,
                "preferred_language": settings.LANGUAGE_CODE,
            },
        )
        if created or not user.check_password(DEMO_PASSWORD) or not user.is_active:
            user.set_password(DEMO_PASSWORD)
            user.is_active = True
            user.save()
        EmailAddress.objects.update_or_create(
            user=user, email=email, defaults={"verified": True, "primary": True}
        )
        return user

    def _two_factor(self, user) -> list[str]:
        """Enrol TOTP with the shared demo key (replacing another key); the recovery codes."""
        from allauth.mfa.models import Authenticator
        from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
        from allauth.mfa.totp.internal.auth import TOTP
        from allauth.mfa.utils import decrypt

        totp = Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).first()
        if totp is not None and decrypt(totp.data["secret"]) != DEMO_TOTP_SECRET:
            totp.delete()
            totp = None
        if totp is None:
            TOTP.activate(user, DEMO_TOTP_SECRET)
        return RecoveryCodes.activate(user).get_unused_codes()

    def _print_sign_ins(self, accounts: dict[str, tuple], port: int) -> None:
        base = f"http://127.0.0.1:{port}"
        rows = [(_("role"), _("email"), _("password"))]
        for role in Role:
            user, _codes = accounts[role.value]
            rows.append((str(role.label), user.email, DEMO_PASSWORD))
        for name in EXTRA_CLERKS:
            rows.append((str(Role.DATA_CLERK.label), accounts[name][0].email, DEMO_PASSWORD))
        rows.append((_("Citizen (no staff role)"), accounts[CITIZEN][0].email, DEMO_PASSWORD))
        widths = [max(len(row[i]) for row in rows) for i in range(3)]
        issuer = getattr(settings, "MFA_TOTP_ISSUER", "Birlik")
        uri = f"otpauth://totp/{issuer}:demo-staff?secret={DEMO_TOTP_SECRET}&issuer={issuer}"

        write = self.stdout.write
        rule = "=" * 78
        write("")
        write(rule)
        write(_("Birlik demo is ready: %(url)s") % {"url": f"{base}/"})
        write(_("Sign in at %(url)s") % {"url": base + reverse("account_login")})
        write(rule)
        for row in rows:
            cells = (cell.ljust(width) for cell, width in zip(row, widths, strict=True))
            write(("  " + "  ".join(cells)).rstrip())
        write("")
        write(_("Staff accounts use two-factor sign-in and are enrolled already, all with one"))
        write(_("demo authenticator key. Add it to an authenticator app (Aegis, FreeOTP, Google"))
        write(_("Authenticator…) by typing the key or from this otpauth address, then enter the"))
        write(_("6-digit code it shows after the password:"))
        write(f"  {DEMO_TOTP_SECRET}")
        write(f"  {uri}")
        write(_("Or use one of the account's recovery codes (each works once):"))
        for name in [*Role.values, *EXTRA_CLERKS]:
            user, codes = accounts[name]
            write(f"  {user.email}: {' '.join(codes)}")
        write("")
        write(
            _("The administrator is also a superuser: %(cms)s and %(admin)s.")
            % {"cms": f"{base}/cms/", "admin": f"{base}/django-admin/"}
        )
        write(_("API documentation: %(url)s") % {"url": f"{base}/api/v1/docs"})
        write(_("These accounts have published passwords: never create them on a real server."))
        write(rule)
