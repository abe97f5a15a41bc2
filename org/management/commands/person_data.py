"""Export everything stored about one person as JSON, or anonymize them (keeping every aggregate)."""

from __future__ import annotations

import json

from django.core.management.base import BaseCommand, CommandError

from org.models import Person
from org.privacy import person_anonymize, person_export


class Command(BaseCommand):
    help = "Export a person's personal data as JSON (export), or anonymize them (anonymize)."

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["export", "anonymize"])
        parser.add_argument("external_id")
        parser.add_argument("--yes", action="store_true", help="anonymize without asking")

    def handle(self, *args, action, external_id, yes=False, **options):
        person = Person.objects.filter(external_id=external_id).first()
        if person is None:
            raise CommandError(f"No person with external id {external_id!r}.")
        if action == "export":
            self.stdout.write(json.dumps(person_export(person), ensure_ascii=False, indent=2))
            return
        if not yes:
            raise CommandError("Anonymizing cannot be undone: add --yes.")
        person = person_anonymize(person=person)
        self.stdout.write(f"anonymized: now {person.external_id}")
