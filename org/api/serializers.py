"""Shapes of the org app's API answers (read side; ingest has its own validators)."""

from rest_framework import serializers

from ..models import Job, OrgUnit, Person


class OrgUnitSerializer(serializers.ModelSerializer):
    parent = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)
    headcount = serializers.SerializerMethodField()

    class Meta:
        model = OrgUnit
        fields = ["code", "name", "kind", "parent", "headcount"]

    def get_headcount(self, unit) -> int | None:
        stat = getattr(unit, "stat", None)
        return stat.headcount if stat is not None else None


class PersonSerializer(serializers.ModelSerializer):
    org_unit = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = Person
        fields = ["external_id", "name", "email", "org_unit", "role", "hire_date", "exit_date"]


class JobSerializer(serializers.ModelSerializer):
    started_by = serializers.SlugRelatedField(slug_field="username", read_only=True, allow_null=True)

    class Meta:
        model = Job
        fields = [
            "id",
            "kind",
            "status",
            "progress",
            "current_step",
            "steps",
            "started_by",
            "trigger",
            "created_at",
            "started_at",
            "finished_at",
            "error",
        ]
