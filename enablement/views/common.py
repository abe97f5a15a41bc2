"""What more than one enablement page needs: the people a reader may pick on a form."""

from __future__ import annotations

from org.selectors import people_visible

PEOPLE_SUGGESTIONS = 500


def people_options(user):
    """(external id, name) of the people the user sees, by name, at most PEOPLE_SUGGESTIONS: a picker's list."""
    return people_visible(user).order_by("name").values_list("external_id", "name")[:PEOPLE_SUGGESTIONS]
