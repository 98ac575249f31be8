"""The representative day (周三代表活动日): duty roster import and rotation, the reminders to
those on duty, the weekly digest, and the swap of two people's duty.

- `planner.plan_duty_reminders(session=…, now=…, settings=…)` queues the evening-before,
  morning, after-hours and no-show reminders that are due and still useful, each person's own way;
- `digest.plan_digests(...)`: the weekly digest, for those who turn it on;
- `importing.import_duty(...)`, `rotation.rotate(...)`: filling the roster;
- `roster.swap_duties(...)`: two people exchange their duty, both told;
- `stations`: a station's day, hours, address and the location staff share.
"""
