"""``ictkg build``, ``validate``, ``checks``, ``coverage`` and ``demo``: one Project call each."""

from __future__ import annotations

from pathlib import Path

import click

from ictkg.cli.output import error, out, project
from ictkg.errors import ExitCode
from ictkg.namespaces import LABEL_LANGUAGES

_LANG = click.option(
    "--lang",
    type=click.Choice(LABEL_LANGUAGES),
    default="en",
    show_default=True,
    help="Language of the report.",
)


@click.command()
@click.option(
    "--out",
    "out_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Output folder (default: build/ in the project).",
)
@click.option("--no-validate", is_flag=True, help="Write the output even if SHACL fails.")
@_LANG
@click.pass_context
def build(ctx: click.Context, out_dir: Path | None, no_validate: bool, lang: str) -> int:
    """Build and validate the dataset, then write it to build/ and load the embedded store.

    Writes ictkg.trig, ictkg.nq and graphs/<name>.ttl (one per named graph), deterministically,
    and loads the embedded Oxigraph store build/oxigraph/ that `ictkg query` reads. Files and
    store are replaced only once the new ones are complete.

    Nothing is written when the data has SHACL violations (unless --no-validate); the report
    is printed instead and the exit code is 1.

    \b
    Example:
      ictkg build
      ictkg build --out /tmp/ictkg-build --no-validate
    """
    from ictkg.render.reports import validation_text

    result = project(ctx).build(out_dir, validate=not no_validate)
    if result.report is not None and not result.conforms:
        out(validation_text(result.report.only_violations(), lang))
        error("not written: the data has SHACL violations")
        return int(ExitCode.NOT_CONFORMING)
    return int(ExitCode.OK)


@click.command()
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json", "turtle"]),
    default="text",
    show_default=True,
    help="Report format; turtle is the raw SHACL report graph.",
)
@_LANG
@click.option(
    "--include-warnings/--no-warnings",
    default=True,
    show_default=True,
    help="List sh:Warning and sh:Info results too (they never fail validation).",
)
@click.pass_context
def validate(ctx: click.Context, fmt: str, lang: str, include_warnings: bool) -> int:
    """Validate the data with the SHACL shapes and run the quality checks.

    The dataset is built in memory; nothing is written. Each result names the resource, the
    property, what is wrong and the source passage to re-read; each failed check says how to
    fix it.

    Exit code 1 when there is a sh:Violation or a check returns rows; warnings never fail.

    \b
    Example:
      ictkg validate
      ictkg validate --lang ja --no-warnings
      ictkg validate --format json > report.json
    """
    import json

    from ictkg.render.reports import (
        checks_dict,
        checks_text,
        validation_dict,
        validation_text,
        validation_turtle,
    )

    validation = project(ctx).validate()
    report = validation.report
    shown = report if include_warnings else report.only_violations()
    if fmt == "json":
        data = {"shacl": validation_dict(shown), "checks": checks_dict(validation.checks)}
        click.echo(json.dumps(data, ensure_ascii=False, indent=2))
    elif fmt == "turtle":
        click.echo(validation_turtle(report), nl=False)
        for check in validation.checks:
            if not check.passed:
                error(f"check {check.name}: {len(check.rows)} rows")
    else:
        out(validation_text(shown, lang=lang))
        out("\nchecks:\n" + checks_text(validation.checks, lang))
    return int(ExitCode.OK if validation.conforms else ExitCode.NOT_CONFORMING)


@click.command()
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True
)
@_LANG
@click.pass_context
def checks(ctx: click.Context, fmt: str, lang: str) -> int:
    """Run the quality checks in queries/checks/; each must return no rows.

    A failed check shows what its rows mean, how to fix them, and the rows.

    \b
    Example:
      ictkg checks
      ictkg checks --format json
    """
    from ictkg.render.reports import checks_json, checks_text

    results = project(ctx).run_checks()
    out(checks_json(results) if fmt == "json" else checks_text(results, lang))
    return int(ExitCode.OK if all(r.passed for r in results) else ExitCode.NOT_CONFORMING)


@click.command()
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True
)
@click.pass_context
def coverage(ctx: click.Context, fmt: str) -> int:
    """List each source passage with the resources derived from it; flag those with none.

    Covers paragraphs and footnotes; a fact derived from a sentence covers its paragraph.
    Exit code 1 when a passage has no derived resource.

    \b
    Example:
      ictkg coverage
      ictkg coverage --format json
    """
    from ictkg.render.reports import coverage_json, coverage_text

    report = project(ctx).coverage()
    out(coverage_json(report) if fmt == "json" else coverage_text(report))
    return int(ExitCode.OK if not report.uncovered else ExitCode.NOT_CONFORMING)


@click.command()
@click.option(
    "--lang",
    type=click.Choice(LABEL_LANGUAGES),
    default="en",
    show_default=True,
    help="Language of the questions, labels and headings.",
)
@click.pass_context
def demo(ctx: click.Context, lang: str) -> int:
    """Build, validate, load the embedded store and answer the showcase questions.

    Does what `ictkg build` does, then prints the resources per class, the validation and
    coverage figures, and the answers to a few showcase questions, asked of the embedded
    Oxigraph store through the stored queries.

    \b
    Example:
      ictkg demo
      ictkg demo --lang ja
    """
    from ictkg.render.reports import demo_text, validation_text
    from ictkg.render.tables import output_width

    report = project(ctx).demo(lang)
    if report.build.report is not None and not report.build.conforms:
        out(validation_text(report.build.report.only_violations(), lang))
        error("not written: the data has SHACL violations")
        return int(ExitCode.NOT_CONFORMING)
    out(demo_text(report, width=output_width()))
    return int(ExitCode.OK)
