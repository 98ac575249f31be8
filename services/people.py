"""People as the handlers see them: who someone is, their mandates, their chat settings.

The storage functions are the whole rule here; handlers reach them through this layer so that
`handlers/` never imports `storage/`.
"""

from storage.delegations import delegation_names
from storage.models import ROW_ID_MAX, Person
from storage.people import (
    MandateDetail,
    adopt_chat_preference,
    get_person,
    mandate_details,
    set_language,
    set_unreachable,
)

__all__ = [
    "ROW_ID_MAX",
    "MandateDetail",
    "Person",
    "adopt_chat_preference",
    "delegation_names",
    "get_person",
    "mandate_details",
    "set_language",
    "set_unreachable",
]
