"""`python -m bot evaluation`: a delegation's annual evaluation as files: the ranking (.txt),
the workbook (.xlsx) and the draft bulletin article (.md), the same the chat sends staff."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Annotated

import typer
from aiogram.utils.i18n import gettext as _

from bot.cli.common import database, settings_or_exit
from bot.i18n import cli_locale
from services.clock import utcnow
from services.config import Settings
from services.errors import DomainError
from services.evaluation import (
    Evaluation,
    EvaluationWords,
    build_evaluation,
    evaluation_files,
    evaluation_words,
    weights_from,
)
from storage.audit import record_audit
from storage.record import find_delegation


class UnknownDelegation(Exception):
    pass


def evaluation(
    year: Annotated[int, typer.Option(help="The year to evaluate, e.g. 2024.")],
    delegation: Annotated[str, typer.Option(help="The delegation (its name or id).")],
    out: Annotated[Path, typer.Option(help="Folder to write the files into.")],
    lang: Annotated[str | None, typer.Option(help="zh or en; the default locale if not given.")] = (
        None
    ),
) -> None:
    """Write a delegation's ranking (.txt), workbook (.xlsx) and draft article (.md)."""
    settings = settings_or_exit()
    with cli_locale(settings, lang):
        try:
            stem = asyncio.run(write_evaluation(settings, year, delegation, out, lang))
        except UnknownDelegation:
            typer.echo(_("No delegation {name}.").format(name=delegation), err=True)
            raise typer.Exit(2) from None
        except DomainError as error:
            typer.echo(_(error.message).format(**error.params), err=True)
            raise typer.Exit(2) from None
        typer.echo(_("Evaluation written: {stem}, to {folder}.").format(stem=stem, folder=out))


def ranking_text(evaluation: Evaluation, w: EvaluationWords) -> str:
    lines = []
    for standing in evaluation.standings:
        figures = " ".join(
            f"{w.criteria[c]}={w.figure(standing.figures[c])}" for c in evaluation.criteria
        )
        lines.append(f"{standing.rank}\t{standing.name}\t{standing.score:.1f}\t{figures}")
    return "\n".join(lines) + "\n"


async def write_evaluation(
    settings: Settings, year: int, delegation: str, out: Path, lang: str | None
) -> str:
    """Writes the files and returns their common name (evaluation-<delegation id>-<year>)."""
    words = evaluation_words(_, lang or settings.default_locale.value)
    async with database(settings) as sessionmaker, sessionmaker() as session:
        found = await find_delegation(session=session, key=delegation.strip())
        if found is None or found.id is None:
            raise UnknownDelegation()
        built = await build_evaluation(
            session=session,
            actor=None,
            delegation_id=found.id,
            year=year,
            weights=weights_from(settings.evaluation_weights),
            shortlist_percent=settings.evaluation_shortlist_percent,
            now=utcnow(),
            tz=settings.tz,
        )
        files = await evaluation_files(built, words)
        await asyncio.to_thread(out.mkdir, parents=True, exist_ok=True)
        text = ranking_text(built, words)
        await asyncio.to_thread((out / f"{files.stem}.txt").write_text, text, "utf-8")
        await asyncio.to_thread((out / f"{files.stem}.xlsx").write_bytes, files.xlsx)
        if files.article is not None:
            article = files.article
            body = "\n\n".join([f"# {article.heading}", *article.paragraphs, article.source])
            await asyncio.to_thread((out / f"{files.stem}.md").write_text, body + "\n", "utf-8")
        await record_audit(
            session=session,
            actor_telegram_id=None,
            action="evaluation.export",
            details={"year": year, "delegation": found.id},
        )
        await session.commit()
    return files.stem
