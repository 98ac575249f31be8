"""Reminders: planners turn what the database says is due into deliveries, once.

- `tick.tick(sessionmaker=…, now=…, settings=…)`: runs every registered planner, each in its
  own transaction (bot.scheduler calls it every TICK_SECONDS);
- `tick.register_planner(planner)`: a planner is
  `async (*, session, now, settings) -> int`;
- `schedule.schedule(session=…, settings=…, dedupe_key=…, audience=…, content=…, due_at=…,
  useful_until=…, now=…, urgent=False, priority=…, kind=None)`: queue one reminder, held through
  quiet hours, or record it missed once it is no longer useful;
- `preferences.reminder_settings_for(session=…, person_ids=…, settings=…)`: each person's
  reminder settings (kinds on/off and times, quiet hours, muted/unavailable until);
- `quiet`: quiet hours, `release_at`, `is_urgent`.
"""
