"""The bulletin (《代表工作》): reading issue files, the archive, search and read receipts.

What each module offers (all storage-facing functions are keyword-only and take a session):

- ``files.read_issue_file(data, filename) -> IssueFile``: the bytes of a text/Markdown or DOCX
  file → the parsed issue and the file's kind. Pure and CPU-bound: from the event loop, call it
  through ``asyncio.to_thread``. Raises ``errors.IssueFileError`` (a ``DomainError``: translate
  ``message`` and format it with ``params``; most name the line).
- ``parse.parse_issue(lines) -> ParsedIssue``: the parser itself, on numbered lines.
- ``importing.store_issue(session, parsed, original, replace, now)``: a new issue is stored as a
  draft; an existing (year, number) raises ``errors.IssueExists`` unless ``replace``, which keeps
  the issue's id, state, publication time and reads. ``OriginalFile`` carries the file's name,
  kind and Telegram file id (the card's "original file" button needs the id).
- ``storage.bulletins.publish_issue(session, issue, now)``: marks an issue published — what the
  publishing flow calls once its delivery is queued; ``list_reads(session, issue_id)`` is who has
  tapped 已阅 (for read counts; filter by scope in the service that shows them).
- ``access.can_read(session, actor, issue)``: the one check of who may open an issue, used by
  every function below: a published issue opens for the people its delivery reached (the
  recipient rows of ``bulletin:<year>:<number>``, storage.bulletin_audience) and for staff whose
  scope holds one of them; a draft opens for staff only. ``access.readable_by`` is the same rule
  as a filter for listing.
- ``publish``: ``stage_issue`` (a parsed file → a draft to preview; a published (year, number)
  raises ``IssuePublished``, a draft ``DraftExists`` unless replaced), ``draft``, ``drafts``,
  ``correct`` (year, number or title line, checked), and ``publish`` (queues the card template
  ``bulletin.issue`` once per issue and marks it published, in the caller's transaction).
- ``stats``: ``read_count`` (an issue's audience within the staff member's scope, read and
  unread) and ``remind_unread`` (template ``bulletin.remind``, at most once a day per issue).
- ``archive``: ``published_page``, ``open_issue`` (the card: issue, articles, whether read),
  ``open_article`` (with its neighbours' ids), ``readable_issue``; unknown, unpublished and
  unreadable issues all raise ``errors.IssueNotFound``.
- ``reads.mark_read`` (True the first time, False after) and ``search.search`` (issues and
  articles holding every word; Chinese by substring, English case-insensitively).
"""
