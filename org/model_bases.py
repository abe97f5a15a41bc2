"""Abstract model bases for the field groups that many models share: timestamps, the creator and bilingual names.

Each group is defined here once; a model takes it by inheriting the base. The bases add no table and no
column of their own (the fields are the ones the models always had, with the same names, options and
verbose names), so inheriting one leaves the migrations as they were.

org is the bottom of the app chain, so every app may use these.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .text import in_language

# Added to the creation counter of the bookkeeping fields, see _listed_after_own_fields.
_AFTER_OWN_FIELDS = 1_000_000


def _listed_after_own_fields(base: type[models.Model]) -> type[models.Model]:
    """List the fields of ``base`` after the fields a model declares itself, as they always were.

    Django orders a model's fields by when each field object was created, so a base's fields would
    otherwise come first. Forms, the admin, the personal-data export and audit entries show fields
    in that order, and the bookkeeping fields (creator, timestamps) have always been the last ones.
    The offset keeps their order among themselves.
    """
    for field in base._meta.local_fields:
        field.creation_counter += _AFTER_OWN_FIELDS
    return base


@_listed_after_own_fields
class CreatedBy(models.Model):
    """The login that created the row; kept empty when that login is deleted, and no reverse accessor."""

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("created by"),
    )

    class Meta:
        abstract = True


@_listed_after_own_fields
class CreatedAt(models.Model):
    """When the row was created (set once, on insert), for models that keep no time of the last save."""

    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        abstract = True


@_listed_after_own_fields
class UpdatedAt(models.Model):
    """When the row was last saved (set on every save), for models that keep no creation time."""

    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class Timestamped(CreatedAt, UpdatedAt):
    """When the row was created and when it was last saved."""

    class Meta:
        abstract = True


class BilingualName(models.Model):
    """A name kept in Chinese and English, both required; ``name`` is the one of the active language."""

    name_zh = models.CharField(_("name (Chinese)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200)

    class Meta:
        abstract = True

    @property
    def name(self) -> str:
        """The name in the active language, or in the other one when that is blank."""
        return in_language(self.name_zh, self.name_en)


class OptionalBilingualName(BilingualName):
    """A name in Chinese and English where either may be left blank (content HR leads write in one language).

    A model that needs at least one of them says so with a check constraint in its own ``Meta``.
    """

    name_zh = models.CharField(_("name (Chinese)"), max_length=200, blank=True, default="")
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True, default="")

    class Meta:
        abstract = True


class BilingualDescription(models.Model):
    """An optional description in Chinese and English; ``description`` is the one of the active language."""

    description_zh = models.TextField(_("description (Chinese)"), blank=True, default="")
    description_en = models.TextField(_("description (English)"), blank=True, default="")

    class Meta:
        abstract = True

    @property
    def description(self) -> str:
        """The description in the active language, or in the other one when that is blank."""
        return in_language(self.description_zh, self.description_en)
