"""Typed field parsers of the ingest framework.

A field turns the raw values of one column (strings from CSV, JSON scalars, cell
values from XLSX) into Python values for one model column, reporting bad values as
row errors. Fields read their limits (length, digits, choices, whether blank is
allowed) from the model field they are bound to, so a dataset declaration only
names them. Values are parsed column by column: one tight loop per field.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Sequence
from decimal import Decimal

from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.core.validators import validate_email
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext as _

from .digits import a_year_after, date_from_text, month_from_text
from .errors import ErrorCollector, FieldError


def model_column(model: type[models.Model], name: str) -> models.Field:
    """The model's field of that name, which must be a column of its table (not a reverse relation).

    ``Options.get_field`` also answers reverse relations, which have no column to read or write.
    """
    model_field = model._meta.get_field(name)
    if not isinstance(model_field, models.Field):
        raise ImproperlyConfigured(f"{model._meta.label}.{name} is a reverse relation, not a column")
    return model_field


def _shown(value) -> str:
    """A raw value as quoted in an error message (long values are cut)."""
    text = str(value)
    return text if len(text) <= 60 else text[:57] + "..."


class Field:
    """One column of a dataset, bound to a field of the dataset's model."""

    type_name = "text"

    def __init__(
        self,
        name: str,
        *,
        model_field: str | None = None,
        required: bool | None = None,
        help_text: str = "",
    ):
        self.name = name
        self.model_field_name = model_field or name
        self._required = required
        self.help_text = help_text
        self.model_field: models.Field | None = None
        self.attname = ""
        self.required = bool(required)
        self.empty_value: object = None

    # --- binding to the model -------------------------------------------------------

    def bind(self, model: type[models.Model]) -> None:
        """Take the column name, blank rule and empty value from the model field."""
        try:
            model_field = model_column(model, self.model_field_name)
        except Exception as exc:
            raise ImproperlyConfigured(
                f"ingest field {self.name!r}: {model.__name__} has no field {self.model_field_name!r}"
            ) from exc
        self.model_field = model_field
        self.attname = model_field.attname
        self.required = (not model_field.blank) if self._required is None else self._required
        if isinstance(model_field, models.CharField | models.TextField):
            self.empty_value = ""
        elif not model_field.null and model_field.has_default():
            self.empty_value = model_field.get_default()
        else:
            self.empty_value = None
        self.configure(model_field)

    def configure(self, model_field: models.Field) -> None:
        """Subclasses read their limits from the model field here."""

    @property
    def bound_field(self) -> models.Field:
        """The model field this column is bound to (a dataset binds its fields when it is declared)."""
        if self.model_field is None:
            raise ImproperlyConfigured(f"ingest field {self.name!r} is not bound to a model yet")
        return self.model_field

    @property
    def label(self) -> str:
        return str(self.model_field.verbose_name) if self.model_field is not None else self.name

    # --- parsing ----------------------------------------------------------------------

    def parse(self, value):
        """One non-blank value (strings arrive stripped) to its Python value, or FieldError."""
        raise NotImplementedError

    def parse_column(self, values: list, errors: ErrorCollector) -> list:
        """Parse every value of the column; a bad or missing value is reported and becomes None."""
        clean = self._parse_clean_column(values)
        if clean is not None:
            return clean
        return self._parse_checking_each(values, errors)

    def _parse_clean_column(self, values: list) -> list | None:
        """The whole column in a few passes over C-level builtins, when it holds no bad value.

        Most uploads are clean, so this is the path that counts for speed. Anything
        unusual (mixed types, a missing required value, a value that fails to parse)
        answers None and the column goes through the value-by-value loop, which
        reports each problem; both paths give the same values for a clean column.
        """
        types = set(map(type, values))
        has_none = type(None) in types
        types.discard(type(None))
        if len(types) > 1:
            return None
        if types == {str}:
            if has_none:
                values = [None if value is None else value.strip() for value in values]
            else:
                values = list(map(str.strip, values))
            if "" in values:
                values = [value or None for value in values]
                has_none = True
        if not has_none:
            return self.parse_many(values)
        if self.required:
            return None
        present = [value for value in values if value is not None]
        parsed = self.parse_many(present)
        if parsed is None:
            return None
        empty = self.empty_value
        filled = iter(parsed)
        return [empty if value is None else next(filled) for value in values]

    def parse_many(self, values: list) -> list | None:
        """Parse non-blank values of one type (strings stripped); None if any of them is bad.

        Each distinct value is parsed once (a column of dates or choices repeats a few values).
        """
        parse = self.parse
        parsed: dict = {}
        try:
            for value in set(values):
                parsed[value] = parse(value)
        except (FieldError, TypeError):  # TypeError: unhashable values (JSON objects or lists)
            return None
        return list(map(parsed.__getitem__, values))

    def _parse_checking_each(self, values: list, errors: ErrorCollector) -> list:
        """Parse value by value, reporting every missing or bad one."""
        parse = self.parse
        name = self.name
        required = self.required
        empty = self.empty_value
        required_message = None
        out: list = []
        append = out.append
        for index, value in enumerate(values):
            if value.__class__ is str:
                value = value.strip()
                if not value:
                    value = None
            if value is None:
                if required:
                    required_message = required_message or _("This field is required.")
                    errors.add(index, name, required_message)
                    append(None)
                else:
                    append(empty)
                continue
            try:
                append(parse(value))
            except FieldError as exc:
                errors.add(index, name, exc.message)
                append(None)
        return out

    # --- description for integrators --------------------------------------------------

    def describe(self) -> dict:
        """Name, type, whether required, and the limits an integrator needs to know."""
        info = {"name": self.name, "type": self.type_name, "required": self.required, "label": self.label}
        info.update(self.constraints())
        if self.help_text:
            info["help"] = str(self.help_text)
        return info

    def constraints(self) -> dict:
        return {}


def as_text(value) -> str:
    """Text from a string or a number (spreadsheets turn codes like 1001 into numbers)."""
    if value.__class__ is str:
        return value
    if isinstance(value, bool):
        raise FieldError(_("Expected text, got a true/false value."))
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            raise FieldError(_("Expected text, got %(value)s.") % {"value": _shown(value)})
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, Decimal):
        return str(value)
    raise FieldError(_("Expected text, got %(value)s.") % {"value": _shown(value)})


class Text(Field):
    """Text up to the model field's max_length; extra Django validators may be given."""

    type_name = "text"

    def __init__(self, name: str, *, max_length: int | None = None, validators: Sequence[Callable] = (), **kwargs):
        super().__init__(name, **kwargs)
        self.max_length = max_length
        self.validators = list(validators)

    def configure(self, model_field):
        if self.max_length is None:
            self.max_length = getattr(model_field, "max_length", None)

    def parse(self, value):
        if value.__class__ is not str:
            value = as_text(value).strip()
        if self.max_length is not None and len(value) > self.max_length:
            raise FieldError(
                _("At most %(max)d characters are allowed (this value has %(length)d).")
                % {"max": self.max_length, "length": len(value)}
            )
        for validator in self.validators:
            try:
                validator(value)
            except ValidationError as exc:
                raise FieldError(" ".join(str(message) for message in exc.messages)) from exc
        return value

    def parse_many(self, values: list) -> list | None:
        if self.validators or not values or values[0].__class__ is not str:
            return super().parse_many(values)
        if self.max_length is not None and max(map(len, values)) > self.max_length:
            return None
        return values

    def constraints(self) -> dict:
        return {"max_length": self.max_length} if self.max_length else {}


# Plain ASCII addresses (dot-atom local part, hostname labels, alphabetic top-level domain): a
# subset of what Django's EmailValidator accepts, checked with one regex; anything else goes to Django.
_PLAIN_EMAIL_RE = re.compile(
    r"[A-Za-z0-9_%+-]+(?:\.[A-Za-z0-9_%+-]+)*@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}"
)


class Email(Text):
    """An e-mail address (Django's rules)."""

    type_name = "email"

    def parse_many(self, values: list) -> list | None:
        texts = super().parse_many(values)
        if texts is None or texts is not values:
            return texts
        # Strings within length: one regex per value, Django's validator only for the rare rest.
        if all(map(_PLAIN_EMAIL_RE.fullmatch, texts)):
            return texts
        return Field.parse_many(self, values)

    def parse(self, value):
        value = super().parse(value)
        if not _PLAIN_EMAIL_RE.fullmatch(value):
            try:
                validate_email(value)
            except ValidationError as exc:
                raise FieldError(" ".join(str(message) for message in exc.messages)) from exc
        return value


class Choice(Field):
    """One of a fixed set of values (the model field's choices unless given); case is forgiven."""

    type_name = "choice"

    def __init__(self, name: str, *, choices: type[models.TextChoices] | Sequence | None = None, **kwargs):
        super().__init__(name, **kwargs)
        self._choices = choices
        self.values: list[str] = []
        self._lookup: dict[str, str] = {}

    def configure(self, model_field: models.Field) -> None:
        choices = self._choices if self._choices is not None else model_field.choices
        if choices is None:
            raise ImproperlyConfigured(f"ingest field {self.name!r}: no choices")
        if isinstance(choices, type) and issubclass(choices, models.Choices):
            self.values = [str(value) for value in choices.values]
        else:
            self.values = [str(item[0]) if isinstance(item, list | tuple) else str(item) for item in choices]
        self._lookup = {value: value for value in self.values}
        self._lookup.update({value.lower(): value for value in self.values})

    def parse(self, value):
        if value.__class__ is not str:
            value = as_text(value)
        found = self._lookup.get(value) or self._lookup.get(value.lower())
        if found is None:
            raise FieldError(
                _("“%(value)s” is not one of: %(choices)s.")
                % {"value": _shown(value), "choices": ", ".join(self.values)}
            )
        return found

    def constraints(self) -> dict:
        return {"choices": list(self.values)}


class _Calendar(Field):
    """A date or a month. A fact date (``fact=True``: a lead created, a contract signed, a month of usage)
    records something that happened, so it may lie at most a year ahead of today; a planned date (a
    contract's end) may lie anywhere."""

    format: str  # how the value is written, set by each kind

    def __init__(self, name: str, *, fact: bool = False, **kwargs):
        super().__init__(name, **kwargs)
        self.fact = fact

    def parse_column(self, values: list, errors: ErrorCollector) -> list:
        clean = super().parse_column(values, errors)
        if self.fact:
            latest = self.latest()
            if max(filter(None, clean), default=latest) > latest:
                self._refuse_later_than(latest, clean, errors)
        return clean

    def latest(self) -> dt.date:
        """The latest value a fact field accepts today (in the deployment's time zone)."""
        return a_year_after(timezone.localdate())

    def _refuse_later_than(self, latest: dt.date, clean: list, errors: ErrorCollector) -> None:
        for index, value in enumerate(clean):
            if value is not None and value > latest:
                errors.add(
                    index,
                    self.name,
                    _("%(value)s is more than a year ahead; the latest %(field)s accepted is %(latest)s.")
                    % {"value": self.shown(value), "field": self.name, "latest": self.shown(latest)},
                )
                clean[index] = None

    def shown(self, value: dt.date) -> str:
        return value.isoformat()

    def constraints(self) -> dict:
        info = {"format": self.format}
        if self.fact:
            info["latest"] = self.shown(self.latest())
        return info


class Date(_Calendar):
    """A calendar date: YYYY-MM-DD (YYYY/MM/DD is accepted too), or a date cell of a spreadsheet."""

    type_name = "date"
    format = "YYYY-MM-DD"

    def parse(self, value):
        if value.__class__ is str:
            if len(value) == 10 and value[4] == "-" and value[7] == "-":
                try:
                    return dt.date.fromisoformat(value)  # ASCII digits only
                except ValueError:
                    pass
            date = date_from_text(value)
            if date is not None:
                return date
            raise FieldError(_("“%(value)s” is not a valid date; use YYYY-MM-DD.") % {"value": _shown(value)})
        if isinstance(value, dt.datetime):
            return value.date()
        if isinstance(value, dt.date):
            return value
        raise FieldError(_("“%(value)s” is not a valid date; use YYYY-MM-DD.") % {"value": _shown(value)})


class Month(_Calendar):
    """A calendar month: YYYY-MM, stored as the month's first day; a date cell counts for its month."""

    type_name = "month"
    format = "YYYY-MM"

    def parse(self, value):
        if value.__class__ is str:
            month = month_from_text(value)
            if month is not None:
                return month
            raise FieldError(_("“%(value)s” is not a valid month; use YYYY-MM.") % {"value": _shown(value)})
        if isinstance(value, dt.datetime):
            value = value.date()
        if isinstance(value, dt.date):
            return value.replace(day=1)
        raise FieldError(_("“%(value)s” is not a valid month; use YYYY-MM.") % {"value": _shown(value)})

    def latest(self) -> dt.date:
        return super().latest().replace(day=1)

    def shown(self, value: dt.date) -> str:
        return value.strftime("%Y-%m")


class Reference(Field):
    """A foreign key given by the referenced row's natural key (a code or an external id).

    Parsing only normalises the key text; the keys of the whole upload are then
    resolved together, one query per referenced model.
    """

    type_name = "reference"

    def __init__(self, name: str, *, by: str, to: type[models.Model] | None = None, **kwargs):
        super().__init__(name, **kwargs)
        self.by = by
        self.to = to
        self.references = ""

    def configure(self, model_field):
        if not model_field.is_relation or not model_field.many_to_one:
            raise ImproperlyConfigured(f"ingest field {self.name!r}: {model_field!r} is not a foreign key")
        self.to = to = self.to or model_field.related_model
        to._meta.get_field(self.by)

    def parse(self, value):
        if value.__class__ is not str:
            value = as_text(value).strip()
        return value

    def parse_many(self, values: list) -> list | None:
        if values and values[0].__class__ is str:
            return values  # stripped key texts; they are checked when resolved
        return super().parse_many(values)

    @property
    def target_model(self) -> type[models.Model]:
        """The referenced model: given, or the foreign key's once the field is bound."""
        if self.to is None:
            raise ImproperlyConfigured(f"ingest field {self.name!r} is not bound to a model yet")
        return self.to

    def unknown_message(self, key: str) -> str:
        """The error for a key that matches no row."""
        return _("There is no %(model)s with %(field)s “%(key)s”.") % {
            "model": self.target_model._meta.verbose_name,
            "field": model_column(self.target_model, self.by).verbose_name,
            "key": _shown(key),
        }

    def constraints(self) -> dict:
        return {"references": self.references or self.target_model._meta.label, "by": self.by}
