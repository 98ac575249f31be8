"""The bulletin (《代表工作》): reading issue files, the archive, search and read receipts.

- ``files.read_issue_file(data, filename)``: bytes of a text/Markdown or DOCX file → ``ParsedIssue``
  (pure and CPU-bound: call it through ``asyncio.to_thread`` from the event loop).
- ``parse.parse_issue(lines)``: the parser itself, on numbered lines.
- ``archive``: storing an import, the list of published issues, opening an issue or an article.
- ``access.can_read``: the one check of who may read an issue.
- ``reads.mark_read`` and ``search.search``: 已阅 receipts and keyword search.
"""
