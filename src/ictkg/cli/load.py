"""``ictkg load``: validate, then replace the graphs of a remote SPARQL endpoint all at once."""

from __future__ import annotations

import click

from ictkg.cli.output import error, out, project
from ictkg.errors import ExitCode


@click.command()
@click.option(
    "--endpoint",
    metavar="URL",
    required=True,
    help="The SPARQL query URL (Oxigraph …/query, Virtuoso …/sparql, or any with --update-url).",
)
@click.option(
    "--store-url",
    metavar="URL",
    default=None,
    help="Graph Store Protocol URL (default: derived; without one, SPARQL INSERT DATA is used).",
)
@click.option(
    "--update-url", metavar="URL", default=None, help="SPARQL Update URL (default: derived)."
)
@click.option("--force", is_flag=True, help="Load even when the data does not conform (no SHACL).")
@click.option(
    "--timeout",
    type=click.FloatRange(min=0, min_open=True),
    default=60.0,
    show_default=True,
    help="Seconds each HTTP request may take.",
)
@click.option(
    "--retries",
    type=click.IntRange(min=0, max=10),
    default=3,
    show_default=True,
    help="Tries again of each idempotent step after a transient failure (5xx, reset, timeout).",
)
@click.pass_context
def load(
    ctx: click.Context,
    endpoint: str,
    store_url: str | None,
    update_url: str | None,
    force: bool,
    timeout: float,
    retries: int,
) -> int:
    """Validate the data, then replace the endpoint's ictkg graphs with it, all at once.

    Each named graph goes into a staging graph, the staging graphs' triple counts are checked,
    and one SPARQL Update moves them all into place: readers see the old dataset or the new
    one, never a mix. On a failure the staging graphs are dropped and the live graphs are left
    as they were. Credentials: user:password@ in the URL (stripped), ICTKG_ENDPOINT_USER and
    ICTKG_ENDPOINT_PASSWORD, or ~/.netrc ($NETRC); HTTP Basic or Digest.

    Exit codes: 0 loaded, 1 the data does not conform (nothing sent), 2 bad option or URL,
    69 endpoint unreachable or failing, 75 timeout, 77 credentials refused (401/403).

    \b
    Example:
      ictkg load --endpoint http://localhost:7878/query
      ictkg load --endpoint http://localhost:8890/sparql --timeout 300 --retries 5
      ICTKG_ENDPOINT_USER=dba ICTKG_ENDPOINT_PASSWORD=… \\
        ictkg load --endpoint https://example.org/sparql --update-url https://example.org/update
    """
    from ictkg.render.load import load_text
    from ictkg.render.reports import checks_text, validation_text

    report = project(ctx).load(
        endpoint,
        store_url=store_url,
        update_url=update_url,
        force=force,
        timeout=timeout,
        retries=retries,
    )
    if report.load is None:
        validation = report.validation
        assert validation is not None  # only validation stops a load without an error
        out(validation_text(validation.report.only_violations()))
        failed = [c for c in validation.checks if not c.passed]
        if failed:
            out("\nchecks:\n" + checks_text(tuple(failed)))
        error("not loaded: the data does not conform (fix it, or load anyway with --force)")
        return int(ExitCode.NOT_CONFORMING)
    out(load_text(report.load))
    return int(ExitCode.OK)
