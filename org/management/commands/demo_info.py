"""``manage.py demo_info --url URL``: where the demo runs and how to log in."""

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from org.demo_data import demo_logins_table


class Command(BaseCommand):
    """Print the demo URL and the table of demo logins (user name, role, scope, password)."""

    @property
    def help(self) -> str:
        return _("Print the demo URL and the demo logins with their role, scope and password.")

    def add_arguments(self, parser):
        parser.add_argument("--url", default="http://127.0.0.1:8000/", help=_("Where the demo is served."))

    def handle(self, *args, **options):
        self.stdout.write(_("Demo: %(url)s") % {"url": options["url"]})
        rows = demo_logins_table()
        if not rows:
            self.stdout.write(_("No demo logins yet: run `python manage.py seed_demo --scale small --seed 1`."))
            return
        headers = {"username": _("user name"), "role": _("role"), "scope": _("scope"), "password": _("password")}
        widths = {key: max(_width(title), *(_width(row[key]) for row in rows)) for key, title in headers.items()}
        self.stdout.write("  ".join(_pad(title, widths[key]) for key, title in headers.items()).rstrip())
        self.stdout.write("  ".join("-" * widths[key] for key in headers))
        for row in rows:
            self.stdout.write("  ".join(_pad(row[key], widths[key]) for key in headers).rstrip())
        self.stdout.write(
            _(
                "A write API token for the integrator: "
                "python manage.py create_api_token integrator --scope write (the key is printed once)."
            )
        )


def _width(text: str) -> int:
    """Columns a string takes in a terminal (CJK characters take two)."""
    return sum(2 if ord(char) > 0x2E80 else 1 for char in str(text))


def _pad(text: str, width: int) -> str:
    return str(text) + " " * (width - _width(text))
