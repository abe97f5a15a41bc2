"""Both languages are complete: every message of the zh-Hans and en catalogues is translated."""

import re
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.utils import translation

LOCALE = Path(settings.BASE_DIR) / "locale"
PLACEHOLDER = re.compile(r"%\(\w+\)[sdfr]|%[sdfr]|\{\w*\}")


def _catalogues():
    return sorted(LOCALE.glob("*/LC_MESSAGES/*.po"))


def test_both_languages_have_catalogues():
    languages = {path.parts[-3] for path in _catalogues()}
    assert {"zh_Hans", "en"} <= languages


@pytest.mark.parametrize("path", _catalogues(), ids=lambda p: f"{p.parts[-3]}/{p.name}")
def test_every_message_is_translated(path):
    catalogue = polib.pofile(str(path))
    untranslated = [entry.msgid for entry in catalogue.untranslated_entries()]
    fuzzy = [entry.msgid for entry in catalogue.fuzzy_entries()]
    assert not untranslated, f"{len(untranslated)} untranslated in {path}: {untranslated[:10]}"
    assert not fuzzy, f"{len(fuzzy)} fuzzy in {path}: {fuzzy[:10]}"


@pytest.mark.parametrize("path", _catalogues(), ids=lambda p: f"{p.parts[-3]}/{p.name}")
def test_placeholders_survive_translation(path):
    catalogue = polib.pofile(str(path))
    broken = []
    for entry in catalogue.translated_entries():
        if entry.msgid_plural:
            continue
        if sorted(PLACEHOLDER.findall(entry.msgid)) != sorted(PLACEHOLDER.findall(entry.msgstr)):
            broken.append(entry.msgid)
    assert not broken, f"placeholders differ in {path}: {broken[:10]}"


@pytest.mark.chinese
def test_chinese_is_the_default_and_english_is_available():
    assert settings.LANGUAGE_CODE == "zh-hans"
    with translation.override("zh-hans"):
        assert translation.gettext("Log out") != "Log out"
    with translation.override("en"):
        assert translation.gettext("Log out") == "Log out"
