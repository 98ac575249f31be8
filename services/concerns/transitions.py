"""Which state of a concern may follow which: the one table every change is checked against."""

from __future__ import annotations

from collections.abc import Mapping

from services.errors import DomainError
from services.i18n_marks import N_
from storage.duty_models import ConcernState

# received → forwarded (to a department) → answered → resolved; any open state may be closed.
TRANSITIONS: Mapping[ConcernState, tuple[ConcernState, ...]] = {
    ConcernState.received: (ConcernState.forwarded, ConcernState.closed),
    ConcernState.forwarded: (ConcernState.answered, ConcernState.closed),
    ConcernState.answered: (ConcernState.resolved, ConcernState.closed),
    ConcernState.resolved: (),
    ConcernState.closed: (),
}
# Forwarding names the department; closing gives the reason (stored as the step's note).
NEEDS_DEPARTMENT = frozenset({ConcernState.forwarded})
NEEDS_NOTE = frozenset({ConcernState.closed})

STATE_LABELS: Mapping[ConcernState, str] = {
    ConcernState.received: N_("received"),
    ConcernState.forwarded: N_("forwarded"),
    ConcernState.answered: N_("answered"),
    ConcernState.resolved: N_("resolved"),
    ConcernState.closed: N_("closed"),
}


class IllegalTransition(DomainError):
    """A change the table does not allow; handlers name the states in the reader's language."""

    message = N_("A concern cannot go from {current} to {target}.")

    def __init__(self, current: ConcernState, target: ConcernState) -> None:
        super().__init__(current=current.value, target=target.value)
        self.current = current
        self.target = target
        self.allowed = TRANSITIONS[current]


def next_states(current: ConcernState) -> tuple[ConcernState, ...]:
    return TRANSITIONS[current]


def check_transition(current: ConcernState | str, target: ConcernState) -> None:
    # Read back from the database, a state is its plain string value.
    current = ConcernState(current)
    if target not in TRANSITIONS[current]:
        raise IllegalTransition(current, target)
