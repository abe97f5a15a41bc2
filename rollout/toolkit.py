"""The scale-step toolkit: one zip with what a manager needs to repeat the program in their own team.

Files (fixed names, so that a toolkit always looks the same):
``success_profile_card.md``, ``journey_map.md``, ``scorecards.xlsx``, ``indicator_library.xlsx``,
``customer_project_team_handbook.md``, and ``README.md`` describing the program.
Each part reads what the owning module has (through its selectors); a part with no data yet
says so instead of being left out.
"""

from __future__ import annotations

import zipfile
from io import BytesIO

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from diagnosis.choices import Dimension
from org.exports import safe_row
from org.models import OrgUnitClosure
from org.ui.formatting import format_number, format_value
from org.ui.names import unit_label, unit_labels, user_label
from performance.models import CustomerProjectTeam, Scorecard
from performance.selectors import indicators_all

from .models import Program
from .selectors import outermost_units

TOOLKIT_FILES = (
    "README.md",
    "success_profile_card.md",
    "journey_map.md",
    "scorecards.xlsx",
    "indicator_library.xlsx",
    "customer_project_team_handbook.md",
)


def _xlsx(sheets: list[tuple[str, list[str], list[list]]]) -> bytes:
    workbook = Workbook()
    for index, (title, header, rows) in enumerate(sheets):
        sheet = workbook.active if index == 0 else workbook.create_sheet()
        sheet.title = title[:31]
        sheet.append(safe_row(header))
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for row in rows:
            sheet.append(safe_row(row))
    out = BytesIO()
    workbook.save(out)
    return out.getvalue()


def _num(value):
    return None if value is None else float(value)


def _scope_ids(program: Program) -> tuple[set[int], set[int]]:
    """(units in the program's subtrees, their ancestors): what the toolkit's scorecards and teams may cover."""
    roots = [unit.pk for unit in outermost_units(program.org_units.all())]
    below = set(OrgUnitClosure.objects.filter(ancestor_id__in=roots).values_list("descendant_id", flat=True))
    above = set(OrgUnitClosure.objects.filter(descendant_id__in=roots).values_list("ancestor_id", flat=True))
    return below, above


def readme_md(program: Program) -> str:
    labels = unit_labels()
    lines = [
        f"# {program.display_name}",
        "",
        f"- {_('Business sponsor')}: {user_label(program.sponsor, labels)}",
        f"- {_('HR co-lead')}: {user_label(program.hr_co_lead, labels)}",
        f"- {_('Org units in scope')}: {', '.join(unit_label(unit, labels) for unit in program.org_units.all())}",
        f"- {_('Focus dimensions')}: "
        + "; ".join(str(Dimension(code).label) for code in program.focus_dimensions if code in Dimension.values),
        f"- {_('Exported at')}: {timezone.localtime():%Y-%m-%d %H:%M}",
        "",
        f"## {_('Key indicators')}",
        "",
        f"| {_('Indicator')} | {_('Leading or lagging')} | {_('Baseline')} | {_('Target')} |",
        "|---|---|---|---|",
    ]
    for key in program.key_indicators.select_related("indicator"):
        lines.append(
            f"| {key.indicator.name} | {key.get_timing_display()} | "
            f"{format_value(key.baseline_value, key.indicator.unit)} | {format_value(key.target, key.indicator.unit)} |"
        )
    return "\n".join(lines) + "\n"


def success_profile_md() -> str:
    from talent.selectors import current_profiles

    lines = [f"# {_('Success profile card')}", ""]
    profiles = current_profiles()
    if not profiles:
        lines.append(_("No success profile has been built yet (talent module)."))
    for profile in profiles.values():
        lines += [
            f"## {profile.name} (v{profile.version})",
            "",
            f"- {_('Role')}: {profile.get_role_display()}",
            f"- {_('Criterion')}: {profile.criterion.name}",
            f"- {_('Window')}: {profile.window_from:%Y-%m} – {profile.window_to:%Y-%m}",
            f"- AUC: {format_number(profile.auc, decimals=2)}",
            "",
            f"| {_('Factor')} | {_('High performers')} | {_('Others')} | {_('Effect size')} |",
            "|---|---|---|---|",
        ]
        for row in profile.factors.select_related("factor").filter(selected=True):
            label = f"{row.factor.name}{f' = {row.level}' if row.level else ''}"
            high, control = format_number(row.high, decimals=3), format_number(row.control, decimals=3)
            lines.append(f"| {label} | {high} | {control} | {format_number(row.effect, decimals=2)} |")
        lines.append("")
    return "\n".join(lines) + "\n"


def journey_map_md() -> str:
    """The enablement journey maps (default first): per stage what high performers do, where typical
    performers drop the ball, the capability items with their levels and the activities that build them,
    the indicators of the stage, and the coverage gaps."""
    from enablement.models import JourneyMap
    from enablement.selectors import coverage_gaps, journey_map_with_details

    lines = [f"# {_('Journey-based enablement map')}", ""]
    for pk in JourneyMap.objects.order_by("-is_builtin", "role", "segment", "pk").values_list("pk", flat=True):
        journey_map = journey_map_with_details(pk)
        scope = " · ".join(
            str(part)
            for part in (
                journey_map.get_role_display() or _("Every role"),
                journey_map.get_segment_display() or _("Every segment"),
            )
        )
        lines += [f"## {journey_map.name}", "", f"*{scope}*", ""]
        if journey_map.description:
            lines += [journey_map.description, ""]
        for stage in journey_map.stages.all():
            lines += [f"### {stage.position}. {stage.name}", ""]
            if stage.customer_goal:
                lines += [stage.customer_goal, ""]
            lines += [f"**{_('What high performers do and say')}**", ""]
            lines += [f"- {line}" for line in stage.high_performer_lines] or ["- –"]
            lines += ["", f"**{_('Where typical performers drop the ball')}**", ""]
            lines += [f"- {line}" for line in stage.pitfall_lines] or ["- –"]
            lines += ["", f"**{_('Capability items')}**", ""]
            for item in stage.capability_items.all():
                activities = ", ".join(activity.display_name for activity in item.activities.all()) or _(
                    "none: coverage gap"
                )
                lines.append(
                    f"- {item.name} ({_('level %(level)s required') % {'level': item.required_level}}); "
                    f"{_('Activities')}: {activities}"
                )
                lines += [f"  {number}. {text}" for number, text in enumerate(item.levels, start=1) if text]
            indicators = ", ".join(indicator.name for indicator in stage.indicators.all()) or "–"
            lines += ["", f"**{_('Indicators that measure the stage')}**: {indicators}", ""]
        gaps = coverage_gaps(journey_map)
        lines += [f"**{_('Coverage gaps')}**: " + (", ".join(item.name for item in gaps) or "–"), ""]
    return "\n".join(lines)


def scorecards_xlsx(program: Program) -> bytes:
    below, above = _scope_ids(program)
    cards = (
        Scorecard.objects.filter(org_unit__isnull=True) | Scorecard.objects.filter(org_unit_id__in=below | above)
    ).prefetch_related("items__indicator")
    rows = []
    for card in cards.order_by("name", "pk"):
        for item in card.items.all():
            rows.append(
                [
                    card.name,
                    card.get_role_display(),
                    item.indicator.code,
                    item.indicator.name,
                    _num(item.weight),
                    _num(item.target),
                    item.get_timing_display(),
                ]
            )
    header = [_("Scorecard"), _("Role"), _("Code"), _("Indicator"), _("Weight (%)"), _("Target"), _("Timing")]
    return _xlsx([(_("Scorecards"), header, rows)])


def indicator_library_xlsx() -> bytes:
    rows = [
        [
            indicator.code,
            indicator.name,
            indicator.get_category_display(),
            indicator.get_unit_display(),
            indicator.get_direction_display(),
            indicator.get_timing_display(),
            indicator.get_review_cycle_display(),
            indicator.definition,
        ]
        for indicator in indicators_all()
    ]
    header = [
        _("Code"),
        _("Indicator"),
        _("Category"),
        _("Unit"),
        _("Direction"),
        _("Timing"),
        _("Review cycle"),
        _("Definition"),
    ]
    return _xlsx([(_("Indicator library"), header, rows)])


def project_team_handbook_md(program: Program) -> str:
    below, _above = _scope_ids(program)
    teams = CustomerProjectTeam.objects.filter(org_unit_id__in=below, is_active=True).select_related("customer")
    lines = [
        f"# {_('Customer project team handbook')}",
        "",
        f"## {_('How a customer project team works')}",
        "",
        f"- {_('Sales, presales, delivery, customer success and product share one goal for one key customer.')}",
        f"- {_('Key opportunities are reviewed together across departments, not by sales alone.')}",
        f"- {_('One shared board of customer information and actions, with owners and due dates.')}",
        f"- {_('Team-level incentives reward long-term customer results, such as renewals and upsell.')}",
        "",
        f"## {_('Teams in this program scope')}",
        "",
    ]
    names = [f"- {team.name} ({team.customer.name}): {team.goal}" for team in teams.order_by("name")]
    lines += names or [_("No customer project team in this scope yet.")]
    return "\n".join(lines) + "\n"


def toolkit_zip(program: Program) -> bytes:
    """The program's toolkit as one zip (see the module docstring for its files)."""
    parts = {
        "README.md": readme_md(program).encode(),
        "success_profile_card.md": success_profile_md().encode(),
        "journey_map.md": journey_map_md().encode(),
        "scorecards.xlsx": scorecards_xlsx(program),
        "indicator_library.xlsx": indicator_library_xlsx(),
        "customer_project_team_handbook.md": project_team_handbook_md(program).encode(),
    }
    out = BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name in TOOLKIT_FILES:
            archive.writestr(name, parts[name])
    return out.getvalue()
