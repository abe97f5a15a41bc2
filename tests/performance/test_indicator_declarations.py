"""Built-in indicators are declared once each (performance.indicators): the library rows are synced from the
declarations exactly as they were written before, and the engine computes every declared indicator."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from django.apps import apps

from org import platform
from performance import choices as performance_choices
from performance.engine import Custom, registered_computations, tables_read, values_recompute
from performance.indicators import builtin_indicators
from performance.library import builtin_indicators_sync
from performance.models import Contract, Customer, Indicator
from talent import choices as talent_choices

D = dt.date
ROOT = Path(__file__).resolve().parents[2]

# Every built-in row, as the library held them before the declarations (library order).
CODES = [
    "lead_conversion_rate",
    "sales_cycle_days",
    "win_rate",
    "key_account_win_rate",
    "new_contract_value",
    "average_contract_value",
    "first_order_gross_margin",
    "nps",
    "product_usage_activity",
    "new_customer_churn_rate",
    "renewal_rate",
    "first_year_renewal_rate",
    "upsell_share",
    "repeat_purchase_rate",
    "high_match_candidate_ratio",
    "certification_pass_rate",
    "enablement_hours",
    "playbooks_captured",
    "cross_dept_closure_days",
]

FIELDS = (
    "code",
    "name_en",
    "name_zh",
    "category",
    "unit",
    "direction",
    "timing",
    "review_cycle",
    "departments",
    "definition_en",
    "definition_zh",
    "formula",
    "source",
    "target",
    "sort_order",
)

EXPECTED = {
    "sales_cycle_days": {
        "code": "sales_cycle_days",
        "name_en": "Sales cycle (days)",
        "name_zh": "销售周期天数",
        "category": "acquisition_efficiency",
        "unit": "days",
        "direction": "lower",
        "timing": "lagging",
        "review_cycle": "month",
        "departments": ["marketing", "sales"],
        "definition_en": "Average number of days from opening an opportunity to winning it, "
        "for deals won in the period.",
        "definition_zh": "本期赢单的商机从创建到赢单的平均天数。",
        "formula": "sum of (closed_on - created_on) / count, over opportunities won with closed_on in P",
        "source": "builtin",
        "target": None,
        "sort_order": 2,
    },
    "nps": {
        "code": "nps",
        "name_en": "Net promoter score",
        "name_zh": "净推荐值",
        "category": "customer_health",
        "unit": "score",
        "direction": "higher",
        "timing": "lagging",
        "review_cycle": "quarter",
        "departments": ["customer_success", "product"],
        "definition_en": "Share of promoters minus share of detractors among the NPS answers "
        "of the period (-100 to 100).",
        "definition_zh": "本期NPS答卷中推荐者比例减去贬损者比例（-100 至 100）。",
        "formula": "(promoters 9-10 - detractors 0-6) x 100 / responses in P",
        "source": "builtin",
        "target": None,
        "sort_order": 8,
    },
    "playbooks_captured": {
        "code": "playbooks_captured",
        "name_en": "Playbooks and cases captured",
        "name_zh": "优秀案例/打法沉淀数量",
        "category": "organizational_contribution",
        "unit": "count",
        "direction": "higher",
        "timing": "leading",
        "review_cycle": "year",
        "departments": ["all_teams"],
        "definition_en": "Number of field stories and playbooks recorded in the period.",
        "definition_zh": "本期记录的一线故事与打法数量。",
        "formula": "stories and playbooks recorded in P",
        "source": "builtin",
        "target": None,
        "sort_order": 18,
    },
}


def _rows() -> dict[str, dict]:
    return {row["code"]: row for row in Indicator.objects.filter(source="builtin").values(*FIELDS)}


@pytest.mark.django_db
def test_the_synced_library_rows_are_what_they_were():
    # the rows the post-migrate sync wrote when the test database was created
    rows = _rows()
    assert list(Indicator.objects.filter(source="builtin").values_list("code", flat=True)) == CODES
    assert [rows[code]["sort_order"] for code in CODES] == list(range(1, 20))
    for code, expected in EXPECTED.items():
        assert rows[code] == expected
    # and a sync from scratch writes the same rows again; a second sync changes nothing
    Indicator.objects.filter(source="builtin").delete()
    assert builtin_indicators_sync() == 19
    assert _rows() == rows
    assert builtin_indicators_sync() == 0
    assert _rows() == rows


def test_every_declaration_has_its_computation_in_library_order():
    assert [declaration.code for declaration in builtin_indicators()] == CODES
    assert list(registered_computations()) == CODES
    assert {code: declaration.module for code, declaration in platform.INDICATORS.items()} == {
        **{code: "performance.engine.builtins" for code in CODES[:14] + CODES[18:]},
        "high_match_candidate_ratio": "talent.indicators",
        "certification_pass_rate": "enablement.indicators",
        "enablement_hours": "enablement.indicators",
        "playbooks_captured": "rollout.indicators",
    }


@pytest.mark.django_db
def test_the_engine_computes_every_declared_indicator(org_tree):
    report = values_recompute(indicators=list(Indicator.objects.filter(source="builtin")))
    assert sorted(report["indicators"]) == sorted(CODES)
    assert [code for code, outcome in report["indicators"].items() if "skipped" in outcome] == []


@pytest.mark.django_db
def test_custom_computations_read_what_they_declare(org_tree, people):
    # given facts, so that repeat_purchase_rate's statements cover some periods
    customer = Customer.objects.create(
        external_id="C1",
        name="C1",
        segment="smb",
        org_unit=org_tree["T1"],
        owner=people["P1"],
        acquired_on=D(2024, 3, 1),
    )
    Contract.objects.create(
        external_id="K1",
        customer=customer,
        org_unit=org_tree["T1"],
        owner=people["P1"],
        kind="renewal",
        signed_on=D(2025, 3, 1),
        start_on=D(2025, 3, 1),
        end_on=D(2026, 2, 28),
        value=100,
        gross_margin=40,
    )
    customs = {code: c for code, c in registered_computations().items() if isinstance(c, Custom)}
    assert sorted(customs) == ["high_match_candidate_ratio", "repeat_purchase_rate"]
    for code, computation in customs.items():
        statements = computation.base_statements()
        assert statements, code
        assert tables_read(statements) == computation.tables_read(), code


# --- no table name or choice value typed into the indicator SQL -------------------------------------

# The modules that write indicator SQL. dialect.py is left out: its quoted words ('month' in date_trunc,
# 'start of month') are the databases' own vocabulary, not choice values.
SQL_MODULES = [
    *sorted(p for p in (ROOT / "performance" / "engine").glob("*.py") if p.name != "dialect.py"),
    ROOT / "talent" / "indicators.py",
    ROOT / "enablement" / "indicators.py",
    ROOT / "rollout" / "indicators.py",
]

# The choices whose values the indicator SQL compares with.
SQL_CHOICES = [
    performance_choices.OpportunityStatus,
    performance_choices.ContractKind,
    performance_choices.PeriodKind,
    talent_choices.CandidateStage,
]


@pytest.mark.parametrize("path", SQL_MODULES, ids=lambda path: f"{path.parent.name}/{path.name}")
def test_indicator_sql_names_no_table_and_no_choice_value(path):
    text = path.read_text()
    tables = {model._meta.db_table for model in apps.get_models()}
    named = sorted(table for table in tables if re.search(rf"\b{re.escape(table)}\b", text))
    assert named == [], f"{path}: use Model._meta.db_table"
    values = {value for choices in SQL_CHOICES for value in choices.values}
    quoted = sorted(value for value in values if f"'{value}'" in text)
    assert quoted == [], f"{path}: use the TextChoices through dialect.literal"


def test_the_roll_up_is_written_once():
    # the month → quarter/year roll-up lives in performance.engine.computations.month_roll_up only
    copies = [path.name for path in SQL_MODULES if "SUM(numerator), SUM(denominator)" in path.read_text()]
    assert copies == ["computations.py"]
