"""Reminders: planners turn what the database says is due into deliveries, once.

- `tick.tick(sessionmaker=…, now=…, settings=…, wake=False)`: runs every registered planner,
  each in its own transaction, skipping those that rest (bot.scheduler calls it every
  TICK_SECONDS);
- `tick.register_planner(planner, hint=None)`: a planner is
  `async (*, session, now, settings) -> int`; `hint` names the rest it keeps;
- `schedule.schedule(session=…, settings=…, dedupe_key=…, audience=…, content=…, due_at=…,
  useful_until=…, now=…, urgent=False, priority=…, kind=None, starts_at=None)`: queue one
  reminder, held through quiet hours, or record it missed once it is no longer useful;
  `schedule.schedule_many(...)`: the same for a batch of one-person reminders, in a few statements;
- `hints.look`/`hints.rest`: a planner's rest until the next moment anything can fall due;
- `preferences.reminder_settings_for(session=…, person_ids=…, settings=…)`: each person's
  reminder settings (kinds on/off and times, quiet hours, muted/unavailable until);
- `quiet`: quiet hours, `release_at`, `is_urgent`.
"""
