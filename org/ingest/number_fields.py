"""Number and true/false fields of the ingest framework: exact decimals, whole numbers and booleans.

Like every field (:mod:`org.ingest.fields`), they read their limits (digits, decimal places, bounds) from
the model field they are bound to and parse a column in one loop; digits may be full-width (normalised by
:mod:`org.ingest.digits`).
"""

from __future__ import annotations

from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils.translation import gettext as _

from .digits import decimal_from_text, integer_from_text
from .errors import FieldError
from .fields import Field, _shown


def _limits(model_field, min_value, max_value):
    """Bounds given explicitly, else those of the model field's validators."""
    for validator in getattr(model_field, "validators", []):
        if min_value is None and isinstance(validator, MinValueValidator):
            min_value = validator.limit_value
        if max_value is None and isinstance(validator, MaxValueValidator):
            max_value = validator.limit_value
    return min_value, max_value


def _check_bounds(value, min_value, max_value):
    if min_value is not None and value < min_value:
        raise FieldError(_("Must be at least %(min)s.") % {"min": min_value})
    if max_value is not None and value > max_value:
        raise FieldError(_("Must be at most %(max)s.") % {"max": max_value})


class DecimalNumber(Field):
    """An exact decimal within the model field's digits; money is never a float."""

    type_name = "decimal"

    def __init__(self, name: str, *, min_value=None, max_value=None, **kwargs):
        super().__init__(name, **kwargs)
        self.min_value = None if min_value is None else Decimal(str(min_value))
        self.max_value = None if max_value is None else Decimal(str(max_value))
        self.max_digits: int | None = None
        self.decimal_places: int | None = None
        self._step: Decimal | None = None

    def configure(self, model_field):
        self.max_digits = getattr(model_field, "max_digits", None)
        self.decimal_places = getattr(model_field, "decimal_places", None)
        if self.decimal_places is not None:
            self._step = Decimal(1).scaleb(-self.decimal_places)

    def parse(self, value):
        if value.__class__ is str:
            number = decimal_from_text(value)
            if number is None:
                raise FieldError(_("“%(value)s” is not a number.") % {"value": _shown(value)})
        elif isinstance(value, bool):
            raise FieldError(_("Expected a number, got a true/false value."))
        elif isinstance(value, int | Decimal):
            number = Decimal(value)
        elif isinstance(value, float):
            number = Decimal(repr(value))
        else:
            raise FieldError(_("“%(value)s” is not a number.") % {"value": _shown(value)})
        if not number.is_finite():
            raise FieldError(_("“%(value)s” is not a number.") % {"value": _shown(value)})
        step, places = self._step, self.decimal_places
        if step is not None and places is not None:
            exponent = number.as_tuple().exponent  # an int, the number being finite
            if isinstance(exponent, int) and exponent < -places:
                rounded = number.quantize(step)
                if rounded != number:
                    raise FieldError(_("At most %(places)d decimal places are allowed.") % {"places": places})
                number = rounded
        if self.max_digits is not None and number:
            whole_digits = max(number.adjusted() + 1, 0)
            if whole_digits > self.max_digits - (self.decimal_places or 0):
                raise FieldError(
                    _("At most %(digits)d digits are allowed before the decimal point.")
                    % {"digits": self.max_digits - (self.decimal_places or 0)}
                )
        _check_bounds(number, self.min_value, self.max_value)
        return number

    def constraints(self) -> dict:
        info: dict = {}
        if self.max_digits is not None:
            info.update(max_digits=self.max_digits, decimal_places=self.decimal_places)
        if self.min_value is not None:
            info["min"] = str(self.min_value)
        if self.max_value is not None:
            info["max"] = str(self.max_value)
        return info


class Integer(Field):
    """A whole number within explicit bounds or those of the model field."""

    type_name = "integer"

    def __init__(self, name: str, *, min_value: int | None = None, max_value: int | None = None, **kwargs):
        super().__init__(name, **kwargs)
        self.min_value = min_value
        self.max_value = max_value

    def configure(self, model_field):
        self.min_value, self.max_value = _limits(model_field, self.min_value, self.max_value)

    def parse(self, value):
        if value.__class__ is str:
            number = integer_from_text(value)
            if number is None:
                raise FieldError(_("“%(value)s” is not a whole number.") % {"value": _shown(value)})
        elif isinstance(value, bool):
            raise FieldError(_("Expected a number, got a true/false value."))
        elif isinstance(value, int):
            number = value
        elif isinstance(value, float | Decimal) and value == value and value == int(value):
            number = int(value)
        else:
            raise FieldError(_("“%(value)s” is not a whole number.") % {"value": _shown(value)})
        _check_bounds(number, self.min_value, self.max_value)
        return number

    def constraints(self) -> dict:
        info = {}
        if self.min_value is not None:
            info["min"] = self.min_value
        if self.max_value is not None:
            info["max"] = self.max_value
        return info


_TRUE_WORDS = {"true", "1", "yes"}
_FALSE_WORDS = {"false", "0", "no"}


class Boolean(Field):
    """true/false, 1/0 or yes/no (any case), or a spreadsheet's TRUE/FALSE cell."""

    type_name = "boolean"

    def parse(self, value):
        if value is True or value is False:
            return value
        if value.__class__ is str:
            word = value.lower()
            if word in _TRUE_WORDS:
                return True
            if word in _FALSE_WORDS:
                return False
        elif isinstance(value, int | float) and value in (0, 1):
            return bool(value)
        raise FieldError(
            _("“%(value)s” is not a yes/no value; use true/false, 1/0 or yes/no.") % {"value": _shown(value)}
        )

    def constraints(self) -> dict:
        return {"choices": ["true", "false"]}
