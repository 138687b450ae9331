"""Issue, revoke and list API tokens from the command line (for operators and devices).

manage.py api_token issue --user admin@example.org --name "Tablet 7" --scope geo:read
manage.py api_token list
manage.py api_token revoke brk_a1b2c3
"""

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.translation import gettext as _

from api.models import ApiToken, Scope
from api.services import api_token_create, api_token_revoke, hash_token


def _local(moment, pattern: str) -> str:
    return timezone.localtime(moment).strftime(pattern) if moment else "-"


class Command(BaseCommand):
    help = "Issue, revoke and list API tokens."

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True)

        issue = actions.add_parser("issue", help="Issue a token; it is shown only once.")
        issue.add_argument("--user", required=True, help="Email of the user the token acts as.")
        issue.add_argument("--name", required=True, help="What the token is for (a device).")
        issue.add_argument(
            "--scope",
            dest="scopes",
            action="extend",
            nargs="+",
            required=True,
            choices=Scope.values,
            help="One or more scopes.",
        )
        issue.add_argument(
            "--expires-days",
            type=int,
            default=365,
            help="Days until the token expires (default 365; 0 means never).",
        )

        revoke = actions.add_parser("revoke", help="Revoke a token by its prefix.")
        revoke.add_argument("prefix", help="The prefix shown by `list` (or the whole token).")
        revoke.add_argument("--user", help="Email of the token's user, if prefixes clash.")

        actions.add_parser("list", help="List tokens, newest first.")

    def handle(self, *args, action: str, **options):
        getattr(self, f"_{action}")(**options)

    def _issue(self, *, user: str, name: str, scopes: list[str], expires_days: int, **_options):
        account = self._user(user)
        if expires_days < 0:
            raise CommandError(_("--expires-days must be 0 or more."))
        expires_at = timezone.now() + timedelta(days=expires_days) if expires_days else None
        try:
            token, raw_token = api_token_create(
                user=account, name=name, scopes=scopes, expires_at=expires_at
            )
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        self.stdout.write(
            _("Issued token %(prefix)s… “%(name)s” for %(email)s, scopes: %(scopes)s.")
            % {
                "prefix": token.prefix,
                "name": token.name,
                "email": account.email,
                "scopes": ", ".join(token.scopes),
            }
        )
        self.stdout.write(_("Keep it now; it cannot be shown again:"))
        self.stdout.write(raw_token)

    def _revoke(self, *, prefix: str, user: str | None, **_options):
        tokens = ApiToken.objects.select_related("user")
        if len(prefix) > ApiToken._meta.get_field("prefix").max_length:
            tokens = tokens.filter(key_hash=hash_token(prefix))
        else:
            tokens = tokens.filter(prefix=prefix)
        if user:
            tokens = tokens.filter(user__email__iexact=user)
        matches = list(tokens)
        if not matches:
            raise CommandError(_("No token matches %(prefix)s.") % {"prefix": prefix})
        if len(matches) > 1:
            raise CommandError(
                _("%(count)d tokens match; add --user to choose: %(tokens)s")
                % {
                    "count": len(matches),
                    "tokens": "; ".join(f"{t.name} ({t.user.email})" for t in matches),
                }
            )
        token = api_token_revoke(token=matches[0], actor=None)
        self.stdout.write(
            _("Revoked token %(prefix)s… “%(name)s” of %(email)s.")
            % {"prefix": token.prefix, "name": token.name, "email": token.user.email}
        )

    def _list(self, **_options):
        now = timezone.now()
        rows = [
            [
                _("prefix"),
                _("name"),
                _("user"),
                _("scopes"),
                _("expires"),
                _("last used"),
                _("state"),
            ]
        ]
        for token in ApiToken.objects.select_related("user"):
            if token.revoked_at:
                state = _("revoked")
            elif token.expires_at and token.expires_at <= now:
                state = _("expired")
            else:
                state = _("active")
            rows.append(
                [
                    token.prefix,
                    token.name,
                    token.user.email,
                    ",".join(token.scopes),
                    _local(token.expires_at, "%Y-%m-%d"),
                    _local(token.last_used_at, "%Y-%m-%d %H:%M"),
                    state,
                ]
            )
        widths = [max(len(str(row[i])) for row in rows) for i in range(len(rows[0]))]
        for row in rows:
            cells = (str(cell).ljust(width) for cell, width in zip(row, widths, strict=True))
            self.stdout.write("  ".join(cells).rstrip())

    def _user(self, email: str):
        account = get_user_model().objects.filter(email__iexact=email).first()
        if account is None:
            raise CommandError(_("No user with the email %(email)s.") % {"email": email})
        return account
