"""`linkcheck annotate`: an article written again with Robust Links to its archived copies."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from linkcheck.cli.app import ConfigOpt, app, env_of, fail, settings_of, state_store
from linkcheck.environment import Environment
from linkcheck.errors import SourceReadError
from linkcheck.exitcodes import ExitCode
from linkcheck.files import atomic_write
from linkcheck.models import Document, SourceError

if TYPE_CHECKING:
    from linkcheck.check import Fetcher


@app.command()
def annotate(
    ctx: typer.Context,
    article: Annotated[
        str,
        typer.Argument(
            help="One article: an HTML, Markdown or text file, or its URL.", show_default=False, metavar="ARTICLE"
        ),
    ],
    out: Annotated[Path, typer.Option("--out", "-o", metavar="FILE", help="Where to write the annotated copy.")],
    config: ConfigOpt = None,
    no_lookup: Annotated[
        bool,
        typer.Option("--no-lookup", help="Use only the archived copies the state store holds; ask no archive."),
    ] = False,
    wait: Annotated[
        float,
        typer.Option("--wait", metavar="SECONDS", help="Seconds to wait for a run on the same state store to finish."),
    ] = 0.0,
) -> None:
    """Write ARTICLE again with each cited link's archived copy (Robust Links): in HTML, data-originalurl,
    data-versionurl and data-versiondate on each <a> (href unchanged); in Markdown and text, the archived
    link after each citation. Copies come from the state store, and are looked up for links that have
    none stored (unless --no-lookup). The same article and store give the same bytes.

    Example:

    \b
      linkcheck annotate article.html --out article.robust.html
    """
    from linkcheck.check import Fetcher  # the network, harvest and archive code: loaded when used
    from linkcheck.fallback import annotate as annotated
    from linkcheck.fallback import copies_for_article, usable_copy
    from linkcheck.harvest import harvest
    from linkcheck.state.run import RunState

    env = env_of(ctx)
    settings = settings_of(config, env)
    fetcher = Fetcher(settings, now=env.now, environ=env.environ)
    document = _one_document(article, settings.harvest.max_document_bytes, env, fetcher)
    try:
        harvested = harvest(document)
    except SourceReadError as exc:
        raise fail(env, f"{exc.source}: {exc.message}") from None
    with state_store(settings, env, wait) as store:
        state = RunState(store, settings.state, env.now, env.cwd)
        # Only copies a reader can open belong in an article: the local archive is not asked.
        copies = copies_for_article(harvested, settings, env, state, None, look_up=not no_lookup)
    written = annotated(document, harvested, copies)
    if written is None:
        raise fail(env, f"{article}: a PDF cannot be annotated; annotate the article's HTML or text")
    target = env.resolve(out)
    atomic_write(target, written)
    cited = {c.normalized_url for c in harvested.citations if c.normalized_url}
    with_copy = sum(1 for url in cited if url in copies and usable_copy(copies[url]))
    env.say(f"{with_copy} of {len(cited)} cited URLs have an archived copy: {target}")
    raise typer.Exit(ExitCode.OK)


def _one_document(source: str, max_bytes: int, env: Environment, fetcher: Fetcher) -> Document:
    """The one document ARTICLE names (a file, or an online article fetched once)."""
    from linkcheck.sources import expand_sources

    try:
        found = list(expand_sources([source], env.stdin, fetcher.fetch, max_bytes, env.cwd))
    finally:
        fetcher.close()
    errors = [item for item in found if isinstance(item, SourceError)]
    if errors:
        raise fail(env, f"{errors[0].source}: {errors[0].message}")
    if len(found) != 1 or not isinstance(found[0], Document):
        raise fail(env, f"{source}: annotate takes one article, not a folder of {len(found)}")
    return found[0]
