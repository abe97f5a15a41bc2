"""Texts kept in both languages as data (built-in questionnaires, maps, checklists)."""

from __future__ import annotations

from django.utils.translation import get_language


def in_language(zh: str, en: str) -> str:
    """The Chinese text under a Chinese UI, else the English one; either falls back to the other when blank."""
    if (get_language() or "").startswith("zh"):
        return zh or en
    return en or zh
