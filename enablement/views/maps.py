"""Journey map pages: the visual map, copying it for a role or segment, editing a stage and its capability items."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from org.ui.forms import message_service_errors, submit_form

from ..forms import CapabilityItemForm, JourneyStageForm, MapCopyForm
from ..models import CapabilityItem, JourneyMap, JourneyStage
from ..selectors import coverage_gaps, journey_map_with_details
from ..services import capability_item_delete, capability_item_save, journey_map_copy, journey_stage_update


@login_required
@permission_required("enablement.view_journeymap", raise_exception=True)
def map_detail(request, pk: int):
    """The visual map: stages as columns with behaviours, pitfalls, capability items, activities and indicators."""
    journey_map = journey_map_with_details(pk)
    if journey_map is None:
        raise Http404
    can_edit = request.user.has_perm("enablement.change_journeymap")
    context = {
        "journey_map": journey_map,
        "gaps": coverage_gaps(journey_map),
        "can_edit": can_edit,
        "copy_form": MapCopyForm(initial={"name_en": journey_map.name_en, "name_zh": journey_map.name_zh})
        if request.user.has_perm("enablement.add_journeymap")
        else None,
        "item_form": CapabilityItemForm() if can_edit else None,
    }
    return render(request, "enablement/map_detail.html", context)


@login_required
@permission_required("enablement.add_journeymap", raise_exception=True)
@require_POST
def map_copy(request, pk: int):
    """Copy a map for a role and segment (the form sits on the map page, so its errors come back as messages)."""
    source = get_object_or_404(JourneyMap, pk=pk)
    form = MapCopyForm(request.POST)
    if form.is_valid():
        try:
            copy = journey_map_copy(source=source, user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            message_service_errors(request, exc)
        else:
            messages.success(request, _("Map copied. Adapt the copy to the role and segment."))
            return redirect("enablement:map", pk=copy.pk)
    else:
        # The message alone, without the field's label (message_form_errors adds it): the page says it so.
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, message)
    return redirect("enablement:map", pk=pk)


@login_required
@permission_required("enablement.change_journeymap", raise_exception=True)
def stage_edit(request, pk: int):
    """Edit one stage of a map: its texts and the indicators that measure it."""
    stage = get_object_or_404(JourneyStage.objects.select_related("journey_map"), pk=pk)
    form = JourneyStageForm(request.POST or None, instance=stage)
    response = submit_form(
        request,
        form,
        lambda data: journey_stage_update(stage=stage, **data),
        success=_("Stage saved."),
        redirect_to=lambda saved: f"{saved.journey_map.get_absolute_url()}#stage-{saved.code}",
    )
    return response or render(request, "enablement/stage_form.html", {"form": form, "stage": stage})


@login_required
@permission_required("enablement.change_journeymap", raise_exception=True)
def item_add(request, stage_pk: int):
    """Add a capability item to a stage."""
    stage = get_object_or_404(JourneyStage.objects.select_related("journey_map"), pk=stage_pk)
    return _item_form(request, stage=stage, item=None)


@login_required
@permission_required("enablement.change_journeymap", raise_exception=True)
def item_edit(request, pk: int):
    """Edit a capability item, or delete it (a POST with ``delete``) when nothing still refers to it."""
    item = get_object_or_404(CapabilityItem.objects.select_related("stage__journey_map"), pk=pk)
    if request.method == "POST" and request.POST.get("delete"):
        try:
            capability_item_delete(item=item)
        except ValidationError as exc:
            message_service_errors(request, exc)
            return redirect("enablement:item-edit", pk=pk)
        messages.success(request, _("Capability item deleted."))
        return redirect(item.stage.journey_map.get_absolute_url())
    return _item_form(request, stage=item.stage, item=item)


def _item_form(request, *, stage: JourneyStage, item: CapabilityItem | None):
    """The capability item form (new when ``item`` is None); saved, it goes back to the item on the map."""
    form = CapabilityItemForm(request.POST or None, instance=item)
    response = submit_form(
        request,
        form,
        lambda data: capability_item_save(item=item, stage=stage, **data),
        success=_("Capability item saved."),
        redirect_to=lambda saved: f"{stage.journey_map.get_absolute_url()}#item-{saved.code}",
    )
    return response or render(request, "enablement/item_form.html", {"form": form, "stage": stage, "item": item})
