"""``manage.py seed_demo --scale small|medium|large --seed N [--if-empty] [--flush]``.

Builds the demo company with every app's registered demo steps, then runs the nightly
recompute, printing the seconds of each step. On a database that already has org units
it refuses, unless ``--if-empty`` (then it does nothing) or ``--flush`` (then it deletes
the demo data first).
"""

import time

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from org.demo import SCALES, DemoNotEmptyError, demo_flush, demo_is_empty, demo_password, seed_demo


class Command(BaseCommand):
    """Seed the demo data (deterministic for a seed) and compute every indicator from it."""

    @property
    def help(self) -> str:
        return _("Build the demo company, its people, facts and logins, then compute every indicator.")

    def add_arguments(self, parser):
        parser.add_argument(
            "--scale",
            default="small",
            choices=list(SCALES),
            help=_("small (12 teams, ~200 people, 12 months), medium (40, ~1,000, 24) or large (200, ~5,000, 36)."),
        )
        parser.add_argument("--seed", type=int, default=1, help=_("Random seed; the same seed gives the same data."))
        parser.add_argument(
            "--if-empty", action="store_true", help=_("Do nothing when org units exist already (for make run).")
        )
        parser.add_argument(
            "--flush",
            action="store_true",
            help=_("Delete the org tree, people, facts, values and demo logins first, then seed."),
        )
        parser.add_argument(
            "--no-recompute", action="store_true", help=_("Skip the indicator recompute after seeding.")
        )

    def handle(self, *args, **options):
        scale, seed = options["scale"], options["seed"]
        if seed < 0:
            raise CommandError(_("The seed must be a non-negative integer."))
        if not demo_is_empty():
            if options["if_empty"] and not options["flush"]:
                self.stdout.write(_("Org units exist already: demo data not seeded (--if-empty)."))
                return
            if not options["flush"]:
                raise CommandError(
                    _(
                        "The database already has org units. Use --if-empty to leave it as it is, or --flush "
                        "to delete the org tree, people, facts and demo logins and seed again."
                    )
                )
            began = time.perf_counter()
            counts = demo_flush()
            self.stdout.write(
                _("Flushed %(rows)s rows in %(seconds).1f s.")
                % {"rows": sum(counts.values()), "seconds": time.perf_counter() - began}
            )

        self.stdout.write(_("Seeding the %(scale)s demo with seed %(seed)s …") % {"scale": scale, "seed": seed})
        began = time.perf_counter()
        try:
            report = seed_demo(scale=scale, seed=seed, recompute=not options["no_recompute"], progress=self._print_step)
        except DemoNotEmptyError as exc:
            raise CommandError(_("Org units appeared while seeding; nothing was written.")) from exc
        self.stdout.write(
            self.style.SUCCESS(_("Demo ready in %(seconds).1f s.") % {"seconds": time.perf_counter() - began})
        )
        self.stdout.write(
            _("Demo logins: admin, hr, manager, member, integrator; password: %(password)s")
            % {"password": demo_password()}
        )
        if report.get("token"):
            self.stdout.write(_("Write API token for integrator (shown only now): %(key)s") % {"key": report["token"]})

    def _print_step(self, name: str, seconds: float, rows: dict | None) -> None:
        detail = ", ".join(f"{table}={count}" for table, count in (rows or {}).items() if isinstance(count, int))
        self.stdout.write(f"  {name:<32} {seconds:8.2f} s  {detail}")
