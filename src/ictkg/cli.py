"""The ``ictkg`` command line: parse arguments, call one library function, render, return a code.

Only this module prints. Exit codes follow pySHACL: 0 success or conforming data, 1 violations
or failed checks, 2 usage or input errors.
"""

from __future__ import annotations

import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

import click
from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS
from rich.console import Console
from rich.table import Table

from ictkg import __version__
from ictkg.build import input_fingerprint, load_shapes, write_build
from ictkg.checks import CheckResult, run_checks
from ictkg.cli_common import (
    EXIT_FAILED,
    EXIT_OK,
    EXIT_USAGE,
    build_full_dataset,
    err_console,
    progress,
    project_paths,
)
from ictkg.cli_queries import queries_command, query_command
from ictkg.coverage import coverage as compute_coverage
from ictkg.coverage import render_json as render_coverage_json
from ictkg.coverage import render_text as render_coverage_text
from ictkg.errors import IctkgError
from ictkg.namespaces import ONTOLOGY_GRAPH, bind_namespaces
from ictkg.paths import ProjectPaths
from ictkg.showcase import showcase_answers
from ictkg.store import open_embedded_store, write_embedded_store
from ictkg.validate import (
    ValidationReport,
    render_text,
    render_turtle,
    report_to_dict,
    validate,
)

EXIT_CODES_HELP = """\b
Exit codes:
  0  success; the data conforms and the checks pass
  1  SHACL violations or failed checks
  2  usage error, or an input file that cannot be read or parsed
"""


def _stdout_is_tty() -> bool:
    return sys.stdout.isatty()


def _out(text: str) -> None:
    """Write text to stdout, colouring severities when stdout is a terminal."""
    if not _stdout_is_tty():
        click.echo(text, nl=False)
        return
    from rich.text import Text

    rich_text = Text(text)
    rich_text.highlight_words(["Violation", "違反"], style="bold red")
    rich_text.highlight_words(["Warning", "警告"], style="yellow")
    rich_text.highlight_words(["FAIL"], style="bold red")
    rich_text.highlight_words(["ok"], style="green")
    Console(highlight=False, soft_wrap=True).print(rich_text, end="")


def _publish(dataset: Dataset, paths: ProjectPaths, target: Path) -> Path:
    """Write the build files and the embedded Oxigraph store under ``target``; return the store."""
    output = write_build(dataset, target)
    for path in output.files:
        progress(f"wrote {path}")
    store_dir = target / paths.store_dir.name
    started = time.perf_counter()
    write_embedded_store(dataset, store_dir, input_fingerprint(paths))
    progress(
        f"loaded the embedded Oxigraph store {store_dir} in {time.perf_counter() - started:.2f}s"
    )
    return store_dir


def _build_and_validate(paths: ProjectPaths) -> tuple[Dataset, ValidationReport]:
    progress(f"building from {paths.root}")
    started = time.perf_counter()
    dataset = build_full_dataset(paths)
    shapes = load_shapes(paths)
    progress(f"built {len(dataset)} triples in {time.perf_counter() - started:.2f}s; validating")
    started = time.perf_counter()
    ontology = Graph()
    ontology += dataset.graph(ONTOLOGY_GRAPH)
    report = validate(dataset, shapes, ontology)
    progress(f"validated in {time.perf_counter() - started:.2f}s")
    return dataset, report


def _render_checks(results: list[CheckResult]) -> str:
    lines = []
    for result in results:
        status = "ok" if result.passed else f"FAIL ({len(result.rows)} rows)"
        lines.append(f"{result.name}: {status}")
        if result.passed:
            continue
        if result.summary:
            lines.append(f"  {result.summary}")
        lines.append("  " + "\t".join(result.columns))
        lines.extend(
            "  " + "\t".join("" if v is None else str(v) for v in row) for row in result.rows
        )
    return "\n".join(lines) + "\n" if lines else "no checks found\n"


def _checks_to_dict(results: list[CheckResult]) -> list[dict[str, Any]]:
    return [
        {
            "name": r.name,
            "passed": r.passed,
            "summary": r.summary,
            "columns": list(r.columns),
            "rows": [[None if v is None else str(v) for v in row] for row in r.rows],
        }
        for r in results
    ]


@click.group(
    help="Build, validate and explore the ICT policy dialogue knowledge graph.\n\n"
    + EXIT_CODES_HELP,
    context_settings={"help_option_names": ["-h", "--help"]},
)
@click.option(
    "--root",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Project folder (default: $ICTKG_ROOT or the checkout around the working directory).",
)
@click.version_option(__version__, prog_name="ictkg")
@click.pass_context
def cli(ctx: click.Context, root: Path | None) -> None:
    """The ``ictkg`` command group."""
    ctx.ensure_object(dict)
    ctx.obj["root"] = root


@cli.command()
@click.option(
    "--out",
    "out_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Output folder (default: build/ in the project).",
)
@click.option("--no-validate", is_flag=True, help="Write the output even if SHACL fails.")
@click.pass_context
def build(ctx: click.Context, out_dir: Path | None, no_validate: bool) -> int:
    """Build and validate the dataset, then write it to build/ and load the embedded store.

    Writes ictkg.trig, ictkg.nq and graphs/<name>.ttl (one per named graph), deterministically,
    and loads the embedded Oxigraph store build/oxigraph/ that `ictkg query` reads. The store
    is replaced only once the new one is complete.

    Nothing is written when the data has SHACL violations (unless --no-validate); the report
    is printed instead and the exit code is 1.

    \b
    Example:
      ictkg build
      ictkg build --out /tmp/ictkg-build --no-validate
    """
    paths = project_paths(ctx)
    target = out_dir or paths.build_dir
    if no_validate:
        progress(f"building from {paths.root}")
        dataset = build_full_dataset(paths)
    else:
        dataset, report = _build_and_validate(paths)
        if not report.conforms:
            _out(render_text(report.only_violations()))
            err_console().print("[red]not written: the data has SHACL violations[/red]")
            return EXIT_FAILED
    _publish(dataset, paths, target)
    return EXIT_OK


@cli.command("validate")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json", "turtle"]),
    default="text",
    show_default=True,
    help="Report format; turtle is the raw SHACL report graph.",
)
@click.option(
    "--lang",
    type=click.Choice(["en", "ja"]),
    default="en",
    show_default=True,
    help="Language of the text report.",
)
@click.option(
    "--include-warnings/--no-warnings",
    default=True,
    show_default=True,
    help="List sh:Warning and sh:Info results too (they never fail validation).",
)
@click.pass_context
def validate_command(ctx: click.Context, fmt: str, lang: str, include_warnings: bool) -> int:
    """Validate the data with the SHACL shapes and run the check queries.

    The dataset is built in memory; nothing is written.

    Exit code 1 when there is a sh:Violation or a check returns rows; warnings never fail.

    \b
    Example:
      ictkg validate
      ictkg validate --lang ja --no-warnings
      ictkg validate --format json > report.json
    """
    paths = project_paths(ctx)
    dataset, report = _build_and_validate(paths)
    checks = run_checks(dataset, paths)
    shown = report if include_warnings else report.only_violations()
    if fmt == "json":
        import json

        data = {"shacl": report_to_dict(shown), "checks": _checks_to_dict(checks)}
        click.echo(json.dumps(data, ensure_ascii=False, indent=2))
    elif fmt == "turtle":
        click.echo(render_turtle(report), nl=False)
        for check in checks:
            if not check.passed:
                err_console().print(f"check {check.name}: {len(check.rows)} rows")
    else:
        _out(render_text(shown, lang=lang))
        _out("\nchecks:\n" + _render_checks(checks))
    failed = not report.conforms or any(not c.passed for c in checks)
    return EXIT_FAILED if failed else EXIT_OK


@cli.command("coverage")
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True
)
@click.pass_context
def coverage_command(ctx: click.Context, fmt: str) -> int:
    """List each source passage with the resources derived from it; flag those with none.

    Covers paragraphs and footnotes; a fact derived from a sentence covers its paragraph.
    Exit code 1 when a passage has no derived resource.

    \b
    Example:
      ictkg coverage
      ictkg coverage --format json
    """
    paths = project_paths(ctx)
    progress(f"building from {paths.root}")
    report = compute_coverage(build_full_dataset(paths))
    if fmt == "json":
        click.echo(render_coverage_json(report), nl=False)
    else:
        _out(render_coverage_text(report))
    return EXIT_OK if not report.uncovered else EXIT_FAILED


@cli.command("checks")
@click.pass_context
def checks_command(ctx: click.Context) -> int:
    """Run the queries in queries/checks/; each must return no rows.

    \b
    Example:
      ictkg checks
    """
    paths = project_paths(ctx)
    progress(f"building from {paths.root}")
    results = run_checks(build_full_dataset(paths), paths)
    _out(_render_checks(results))
    return EXIT_OK if all(r.passed for r in results) else EXIT_FAILED


def _class_counts(dataset: Dataset) -> list[tuple[str, str, int]]:
    """Return (CURIE, English label, count) per class, over every graph but the ontology."""
    counts: Counter[URIRef] = Counter()
    seen: set[tuple[object, object]] = set()
    for s, _p, o, g in dataset.quads((None, RDF.type, None, None)):
        if g == ONTOLOGY_GRAPH or not isinstance(o, URIRef) or (s, o) in seen:
            continue
        seen.add((s, o))
        counts[o] += 1
    ontology = dataset.graph(ONTOLOGY_GRAPH)
    nm = bind_namespaces(Graph()).namespace_manager
    rows = []
    for cls, count in counts.items():
        labels = [
            str(lit)
            for lit in ontology.objects(cls, RDFS.label)
            if isinstance(lit, Literal) and lit.language == "en"
        ]
        rows.append((cls.n3(nm), min(labels) if labels else "", count))
    return sorted(rows, key=lambda row: (-row[2], row[0]))


@cli.command()
@click.pass_context
def demo(ctx: click.Context) -> int:
    """Build, validate, load the embedded store and answer the showcase questions.

    Does what `ictkg build` does, then prints the resources per class, the validation and
    coverage figures, and the answers to a few showcase questions, asked of the embedded
    Oxigraph store through the stored queries.

    \b
    Example:
      ictkg demo
    """
    paths = project_paths(ctx)
    dataset, report = _build_and_validate(paths)
    if not report.conforms:
        _out(render_text(report.only_violations()))
        return EXIT_FAILED
    store_dir = _publish(dataset, paths, paths.build_dir)
    cover = compute_coverage(dataset)
    counts = _class_counts(dataset)

    if _stdout_is_tty():
        table = Table(title="Resources per class")
        table.add_column("class")
        table.add_column("label")
        table.add_column("count", justify="right")
        for curie, label, count in counts:
            table.add_row(curie, label, str(count))
        Console().print(table)
    else:
        click.echo("Resources per class:")
        width = max((len(c) for c, _, _ in counts), default=0)
        for curie, label, count in counts:
            click.echo(f"  {curie:<{width}}  {count:>5}  {label}")
    warnings = report.count("Warning")
    click.echo(f"SHACL: conforms ({warnings} warnings)")
    click.echo(f"Coverage: {cover.covered}/{cover.total} passages ({100 * cover.ratio:.0f}%)")

    store = open_embedded_store(store_dir)
    if store is None:  # pragma: no cover - _publish has just written it
        raise click.ClickException(f"the embedded store {store_dir} was not written")
    answers = showcase_answers(store, paths)
    if answers:
        click.echo("\nShowcase questions:")
        for answer in answers:
            click.echo(f"\n? {answer.question}  [{answer.query_id}]")
            click.echo(answer.answer.rstrip("\n"))
    return EXIT_OK


cli.add_command(queries_command, "queries")
cli.add_command(query_command, "query")


def main(argv: list[str] | None = None) -> int:
    """Run the command line and return its exit code (0 ok, 1 violations, 2 usage/input).

    Args:
        argv: the arguments (default: ``sys.argv[1:]``).

    Returns:
        The exit code.
    """
    try:
        result = cli.main(args=argv, prog_name="ictkg", standalone_mode=False)
    except click.exceptions.Abort:
        click.echo("aborted", err=True)
        return EXIT_FAILED
    except click.ClickException as exc:
        exc.show()
        return EXIT_USAGE
    except IctkgError as exc:
        click.echo(f"error: {exc}", err=True)
        return EXIT_USAGE
    if isinstance(result, int):
        return result
    return EXIT_OK


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
