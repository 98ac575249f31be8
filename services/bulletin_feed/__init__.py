"""Bulletin feed watch: an office that publishes its issues online is polled for new ones.

- `poll.poll_feed_once(settings, sessionmaker, http_client, on_new_issue, now)`: one poll of
  BULLETIN_FEED_URL; each new item's file (text, Markdown or DOCX) is handed to
  `on_new_issue(item, content, filename)` once, which imports it (as a draft for staff);
- `model`: FeedItem; FeedItemRejected, which `on_new_issue` raises for a file it cannot import;
- `parse`: RSS 2.0, Atom and the JSON forms accepted; `fetch`: the size-limited HTTP reads;
- `notices`: what admins are told when the feed fails and when it works again.
"""
