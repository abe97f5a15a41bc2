"""Chinese sentences use Chinese punctuation: no zh-Hans message ends a Han sentence with an ASCII period or
puts an ASCII comma, colon or semicolon between Han characters, and no template glues an ASCII colon to a
translated label (the label's colon is the shared translated separator)."""

from __future__ import annotations

import re
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.template import Context, Template
from django.utils import translation

ROOT = Path(settings.BASE_DIR)
HAN = "\u4e00-\u9fff"
# A Han character (or a closing Chinese quote or bracket), perhaps a placeholder, then an ASCII period at the end.
ENDS_WITH_PERIOD = re.compile(rf"[{HAN}”）](?:\s*(?:%\(\w+\)[sdf]|\{{\w+\}}))?\s*\.$")
ASCII_BETWEEN_HAN = re.compile(rf"[{HAN}]\s*[,:;]\s*[{HAN}]")
LABEL_COLON = re.compile(r'\{% (?:translate "[^"]*"|endblocktranslate) %\}:')


def _messages():
    for path in sorted((ROOT / "locale" / "zh_Hans" / "LC_MESSAGES").glob("*.po")):
        for entry in polib.pofile(str(path)):
            yield from ([entry.msgstr] if not entry.msgstr_plural else entry.msgstr_plural.values())


def test_the_scan_sees_a_bad_message():
    assert ENDS_WITH_PERIOD.search("已导入 %(n)s 行.")
    assert ENDS_WITH_PERIOD.search("保存成功.")
    assert not ENDS_WITH_PERIOD.search("请另存为 .xlsx 或 CSV。")
    assert ASCII_BETWEEN_HAN.search("名称: 值")


def test_no_chinese_message_ends_with_an_ascii_period():
    bad = [text for text in _messages() if ENDS_WITH_PERIOD.search(text.strip())]
    assert bad == []


def test_no_chinese_message_has_ascii_punctuation_between_han_characters():
    bad = [text for text in _messages() if ASCII_BETWEEN_HAN.search(text)]
    assert bad == []


def test_no_template_puts_an_ascii_colon_after_a_translated_label():
    templates = sorted(ROOT.glob("templates/**/*.html")) + sorted(ROOT.glob("*/templates/**/*.html"))
    bad = [f"{path.relative_to(ROOT)}" for path in templates if LABEL_COLON.search(path.read_text(encoding="utf-8"))]
    assert bad == []


@pytest.mark.parametrize(("language", "expected"), [("zh-hans", "业务牵头人："), ("en", "Business co-lead: ")])
def test_the_label_separator_follows_the_language(language, expected):
    template = Template(
        '{% load i18n %}{% translate "Business co-lead" %}{% translate ": " context "between a label and its value" %}'
    )
    with translation.override(language):
        assert template.render(Context()) == expected


@pytest.mark.parametrize(("language", "suffix"), [("zh-hans", "Person：</label>"), ("en", "Person:</label>")])
def test_form_labels_end_with_the_languages_colon(language, suffix):
    from django import forms

    class PersonForm(forms.Form):
        person = forms.CharField(label="Person")

    with translation.override(language):
        label = PersonForm()["person"].label_tag(label_suffix=None)
    assert label.endswith(suffix)
