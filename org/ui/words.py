"""Lists of words as each language writes them: "销售代表、客户经理", "Sales representative, Account manager".

Choice codes never reach a page: a list of roles is shown by the roles' labels, joined by the list separator
of the active language (the catalogue's ", ", which is "、" in Chinese).
"""

from __future__ import annotations

from collections.abc import Iterable

from django.utils.translation import gettext

from org.choices import PersonRole


def join_words(words: Iterable) -> str:
    """Words joined by the active language's list separator."""
    return gettext(", ").join(str(word) for word in words if str(word))


def role_labels(codes: Iterable[str]) -> str:
    """Person-role codes as their translated labels, in the given order; an unknown code stays as it is."""
    labels = dict(PersonRole.choices)
    return join_words(labels.get(code, code) for code in codes or ())
