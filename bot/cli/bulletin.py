"""`python -m bot bulletin import FILE [--dry-run] [--replace]`: an issue file into the archive.

The issue is stored as a draft: nobody sees it in the chat until staff publish it there (which
sends it to its audience). Replacing an issue keeps its state, its publication and its 已阅
receipts, and replaces its text and articles; articles keep their ids where the heading stays,
and a published issue's replacement must keep every heading (services.bulletins.importing).
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Annotated

import typer
from aiogram.utils.i18n import gettext as _

from bot.cli.common import database, settings_or_exit
from bot.i18n import cli_locale
from services.bulletins.errors import IssueExists
from services.bulletins.files import MAX_FILE_BYTES, IssueFile, read_issue_file
from services.bulletins.importing import OriginalFile, Stored, store_issue
from services.bulletins.model import ParsedIssue
from services.bulletins.text import excerpt
from services.clock import utcnow
from services.config import Settings
from services.errors import DomainError
from services.i18n_marks import N_

bulletin_cli = typer.Typer(no_args_is_help=True, help="Bulletin issues (《代表工作》).")
NOTE_WORDS = 40
STATES = {"draft": N_("draft"), "published": N_("published")}


@bulletin_cli.command("import")
def import_command(
    file: Annotated[
        Path,
        typer.Argument(exists=True, dir_okay=False, help="The issue: text/Markdown or DOCX."),
    ],
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Show what was read; store nothing.")
    ] = False,
    replace: Annotated[
        bool, typer.Option("--replace", help="Overwrite the stored issue of that year and number.")
    ] = False,
) -> None:
    """Read an issue file, show what was read, and store it as a draft."""
    settings = settings_or_exit()
    with cli_locale(settings):
        try:
            read = read_issue_file(_head(file), file.name)
        except DomainError as exc:
            typer.echo(_(exc.message).format(**exc.params), err=True)
            raise typer.Exit(1) from None
        for line in summary(read.issue):
            typer.echo(line)
        if dry_run:
            typer.echo(_("Dry run: nothing was stored."))
            return
        try:
            stored = asyncio.run(_store(settings, read, file.name, replace=replace))
        except IssueExists as exc:
            state = _(STATES.get(str(exc.params["state"]), str(exc.params["state"])))
            typer.echo(
                _(
                    "Issue {number} of {year} is stored already ({state}); run again with "
                    "--replace to overwrite it."
                ).format(number=read.issue.number, year=read.issue.year, state=state),
                err=True,
            )
            raise typer.Exit(1) from None
        except DomainError as exc:
            # E.g. a published issue's replacement without one of its articles.
            typer.echo(_(exc.message).format(**exc.params), err=True)
            raise typer.Exit(1) from None
        typer.echo(outcome(stored))


def _head(file: Path) -> bytes:
    # One byte more than the limit is enough to refuse a file too large, without reading it all.
    with file.open("rb") as stream:
        return stream.read(MAX_FILE_BYTES + 1)


def summary(issue: ParsedIssue) -> list[str]:
    """What was read, in the order of the issue: enough to see the parser read it right."""
    lines = [
        _("Issue {number} of {year}, dated {date}").format(
            number=issue.number, year=issue.year, date=issue.issued_on.isoformat()
        ),
        _("Masthead: {title}").format(title=issue.title or "—"),
        _("Issued by: {body}").format(body=issue.issuing_body or "—"),
        _("Series: {series}").format(series=issue.series or "—"),
        _("Editor's note: {words}").format(words=excerpt(issue.editors_note, NOTE_WORDS) or "—"),
        _("Articles: {count}").format(count=len(issue.articles)),
    ]
    for index, article in enumerate(issue.articles, 1):
        lines.append(
            _("  {index}. {heading} — {count} paragraphs — source: {source}").format(
                index=index,
                heading=article.heading,
                count=len(article.paragraphs),
                source=article.source or "—",
            )
        )
    lines.append(
        _("Distribution: {lines} lines; copies printed: {copies}").format(
            lines=len(issue.distribution), copies=issue.copies if issue.copies is not None else "—"
        )
    )
    return lines


def outcome(stored: Stored) -> str:
    issue = stored.issue
    if stored.replaced:
        return _("Replaced issue {number} of {year} (#{id}); it stays {state}.").format(
            number=issue.number, year=issue.year, id=issue.id, state=_(STATES[issue.state])
        )
    return _(
        "Stored issue {number} of {year} as a draft (#{id}); staff publish it in the chat."
    ).format(number=issue.number, year=issue.year, id=issue.id)


async def _store(settings: Settings, read: IssueFile, name: str, *, replace: bool) -> Stored:
    async with database(settings) as sessionmaker, sessionmaker.begin() as session:
        return await store_issue(
            session=session,
            parsed=read.issue,
            original=OriginalFile(name=name, kind=read.kind.value),
            replace=replace,
            now=utcnow(),
        )
