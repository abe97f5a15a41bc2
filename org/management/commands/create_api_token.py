"""``manage.py create_api_token <username> [--scope read|write] [--name NAME]``.

The key goes alone on the first line of stdout, so a script can capture it
(``KEY=$(manage.py create_api_token crm-sync --scope write)``); the note about it goes to stderr.
"""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from org.choices import TokenScope
from org.services import api_token_create, user_for_username


class Command(BaseCommand):
    """Create an integrator's API token from the command line; the plain key is printed once."""

    @property
    def help(self) -> str:
        return _("Create an API token for a user and print its key once (only its hash is stored).")

    def add_arguments(self, parser):
        parser.add_argument("username", help=_("The login the token acts as."))
        parser.add_argument(
            "--scope",
            default=TokenScope.READ.value,
            help=_("read (default) or write; a write token may also push data and start jobs."),
        )
        parser.add_argument("--name", default="", help=_("A label to recognise the token, e.g. the calling system."))

    def handle(self, *args, **options):
        scope = (options["scope"] or "").strip().lower()
        if scope not in TokenScope.values:
            raise CommandError(
                _("Unknown scope %(scope)r: use one of %(choices)s.")
                % {"scope": options["scope"], "choices": ", ".join(TokenScope.values)}
            )
        try:
            user = user_for_username(options["username"])
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        if not user.is_active:
            raise CommandError(
                _("The user %(name)s is inactive; its tokens would be refused. Activate it first.")
                % {"name": user.get_username()}
            )
        try:
            token, key = api_token_create(user=user, scope=scope, name=options["name"])
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        self.stdout.write(key)
        self.stderr.write(
            _("Created %(scope)s token %(prefix)s… for %(name)s. This is the only time the key is shown: store it now.")
            % {"scope": token.scope, "prefix": token.prefix, "name": user.get_username()},
            style_func=self.style.WARNING,
        )
