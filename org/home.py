"""The home page's contributions from the apps: what waits for the viewer, what to start, headline figures.

org knows none of the domain apps (docs/architecture.md section 1), so each app registers a ``HomePart`` in
its ``apps.py`` ``ready()`` with :func:`register_home`; the home view asks every part in turn. A part's
functions take the login and today's date and run a fixed number of queries, whatever the data holds.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

from django.utils import timezone

from .platform import HOME_PARTS


@dataclass(frozen=True)
class Task:
    """One thing that waits for the viewer: what it is, where to act, and how urgent it is."""

    kind: str  # a short code for tests and styling ("answer", "sign", "overdue", ...)
    label: str  # the kind in words ("Questionnaire")
    title: str  # the object ("East self-check")
    detail: str  # what to do or why now ("Waiting for your answers since 3 March")
    url: str
    action: str  # the link's words ("Answer")
    urgent: bool = False
    order: int = 50  # lower first; then by ``title``


@dataclass(frozen=True)
class Suggestion:
    """A way to start when nothing waits: a title, one sentence and a link."""

    title: str
    text: str
    url: str


@dataclass(frozen=True)
class Card:
    """A headline indicator of the viewer's scope: its latest value, against its target when one is set."""

    title: str
    value: str
    period: str
    url: str
    target: str | None = None
    on_target: bool | None = None
    set_target_url: str | None = None  # for those who may set one, when there is none


@dataclass(frozen=True)
class Cards:
    """The headline cards of one unit (``empty`` says what to do when there are none)."""

    unit: str
    cards: list[Card]
    more_url: str
    empty: str = ""


@dataclass(frozen=True)
class HomePart:
    tasks: Callable[..., list[Task]] | None = None
    suggestions: Callable[..., list[Suggestion]] | None = None
    cards: Callable[..., Cards | None] | None = None


@dataclass
class Home:
    tasks: list[Task] = field(default_factory=list)
    suggestions: list[Suggestion] = field(default_factory=list)
    cards: list[Cards] = field(default_factory=list)


def register_home(key: str, **parts) -> HomePart:
    """Add an app's part of the home page (``tasks``, ``suggestions``, ``cards``: functions of user and today)."""
    return HOME_PARTS.add(key, HomePart(**parts), replace=True)


def home_for(user, *, today: dt.date | None = None) -> Home:
    """Everything the home page shows the login: tasks (most urgent first), suggestions, headline cards."""
    today = today or timezone.localdate()
    home = Home()
    for part in HOME_PARTS.values():
        if part.tasks:
            home.tasks.extend(part.tasks(user, today))
        if part.cards:
            cards = part.cards(user, today)
            if cards is not None:
                home.cards.append(cards)
    home.tasks.sort(key=lambda task: (not task.urgent, task.order, task.title))
    if not home.tasks:
        for part in HOME_PARTS.values():
            if part.suggestions:
                home.suggestions.extend(part.suggestions(user, today))
    return home
