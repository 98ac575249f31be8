"""What a plan says about people the file does not name: missing representatives, namesakes.

Both look only at the plan's index, which holds only what the uploader may see
(services.roster.scope), so neither can tell staff about anyone outside their scope.
"""

from __future__ import annotations

from services.i18n_marks import N_
from services.roster.models import RowWarning
from services.roster.plan import Plan


def missing_names(plan: Plan) -> list[str]:
    """Active representatives of the delegations in the file whom no row mentions."""
    index = plan.index
    return [
        index.owner[id(mandate)].name
        for mandate in index.stored_mandates
        if mandate.active
        and id(mandate) not in plan.claimed
        and index.delegation_of[id(mandate)] in plan.touched_delegations
    ]


def same_name_warnings(plan: Plan) -> list[RowWarning]:
    # Namesakes within one file are the parser's warning; this covers stored people whom the
    # file does not mention.
    message = N_(
        "{name} has the same name as a person already on the roster; a new person "
        "was added. Check whether they are the same person."
    )
    return [
        RowWarning(row.row_number, message, {"name": row.name})
        for person, row in plan.new_people
        if any(
            id(other) not in plan.touched_people
            for other in plan.index.stored_names.get(person.name, [])
        )
    ]
