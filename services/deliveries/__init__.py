"""The delivery engine's service API: what to send to whom, and when (sent by bot.deliveries).

- `enqueue.enqueue(session=…, dedupe_key=…, audience=…, content=…, not_before=…, priority=…)`
  queues a delivery once per dedupe key, in the caller's transaction;
- `model`: audiences (People, Representatives, Chosen: delegations, groups and stations within a
  scope) and content (TemplateContent, TextContent,
  PhotoContent, DocumentContent);
- `templates.register(id, render)`: a feature's render function, called per recipient in
  their language at send time;
- `control`: pause, resume, cancel and progress.
"""
