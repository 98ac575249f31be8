"""Names of stored values as people read them; translate with ``_()`` where shown."""

from __future__ import annotations

from services.i18n_marks import N_
from services.permissions import Role
from storage.models import Level

LEVEL_LABELS: dict[str, str] = {
    Level.national: N_("national"),
    Level.province: N_("provincial"),
    Level.city: N_("city"),
    Level.county: N_("county"),
    Level.township: N_("township"),
}

ROLE_LABELS: dict[str, str] = {
    Role.stranger: N_("not on the roster"),
    Role.representative: N_("representative"),
    Role.group_leader: N_("group leader"),
    Role.staff: N_("staff"),
    Role.admin: N_("admin"),
}
