"""The representative day (周三代表活动日): duty roster import and rotation, the reminders to
those on duty, and the swap of two people's duty.

- `planner.plan_duty_reminders(session=…, now=…, settings=…)` queues the evening-before,
  morning, after-hours and no-show reminders that are due and still useful;
- `roster.import_duty(...)`, `roster.rotate(...)`: filling the roster;
- `swap.swap_duties(...)`: two people exchange their duty, both told.
"""
