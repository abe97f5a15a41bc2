"""Stored JSON values (model features, warnings) read as words in the audit trail, never as Python reprs."""

from __future__ import annotations

import json

from django.utils import translation

from org.audit_display import _json_summary


def test_nested_records_read_as_words_with_their_numbers_shortened():
    stored = json.dumps({"features": [{"coef": 1.3212202161351254, "factor": "interview"}], "ok": True, "n": 1200})
    with translation.override("en"):
        assert _json_summary(stored) == "features: [(coef: 1.321; factor: interview)]; ok: yes; n: 1,200"
    with translation.override("zh-hans"):
        assert _json_summary(stored) == "features: [(coef: 1.321; factor: interview)]; ok: 是; n: 1,200"


def test_a_list_of_plain_values_is_joined_and_text_that_is_not_json_is_kept():
    assert _json_summary(json.dumps(["a", "b", 3])) == "a, b, 3"
    assert _json_summary("not json") == "not json"
    assert _json_summary(json.dumps({"warnings": None})) == "warnings: –"
