"""Staff broadcasts: a message of a staff member's, kept as it was sent (text and entities, or a
file id with its caption), delivered through the delivery engine to an audience in their scope,
now or at a set time, with a progress message that can pause, resume or cancel it.

- `content`: the message's content to and from the dialog's JSON data;
- `when.parse_send_time`: a typed send time in the deployment's time zone;
- `create.create_broadcast`: the broadcast and its delivery, once per preview token;
- `access.control_broadcast`: pause, resume, cancel by its author or staff covering its scope;
- `progress.broadcast_progress`: what the progress message and the final report show.
"""
