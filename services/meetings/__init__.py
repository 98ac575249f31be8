"""Quarterly group meetings (代表小组活动).

- `access`: who may organise a meeting of which group (staff in scope, the group's leader),
  who may manage a meeting, who is a member;
- `when`: the date and time an organiser types;
- `publish`: a new meeting, its notice to the members at once (delivery engine) and its
  calendar file (`ics`);
- `replies`: attend / excused with a reason, members only;
- `changes`: moving (time or place) and cancelling, everyone told, old reminders cancelled;
- `checkin`: the 4-digit code or a location near the venue, during the meeting;
- `after`: the one-tap group-meeting activity of a checked-in member;
- `planner`: reminders 7 days, 1 day and 2 hours before, the after-meeting prompt, and the
  quarter watch (`watch`), all through `tick`;
- `templates`: what the delivery engine sends, in each recipient's language.
"""
