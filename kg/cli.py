"""The ``kg`` command line: a thin layer over the Python API.

Each command parses its options and calls one library function; heavy
imports happen inside the commands so ``kg --help`` is instant.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

DEFAULT_OUTPUT = "outputs"
RDF_FORMATS = {"ttl": "turtle", "turtle": "turtle", "nt": "ntriples", "ntriples": "ntriples", "jsonld": "jsonld"}


def _progress_printer(quiet: bool):
    """A progress callback that prints stage progress to stderr."""
    if quiet:
        return None
    state = {"last": None}

    def report(stage: str, done: int, total: int) -> None:
        line = f"  {stage:8} {done:>7}/{total}"
        if sys.stderr.isatty():
            click.echo("\r" + line, nl=done >= total, err=True)
        elif (stage, done >= total) != state["last"] and (done >= total or stage != state.get("stage")):
            click.echo(line, err=True)
        state["last"] = (stage, done >= total)
        state["stage"] = stage

    return report


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="kg")
def main() -> None:
    """kg: a knowledge graph of machine-learning research.

    \b
    Build the graph from paper listings, then question it:
      kg build ../shared/corpus            # → outputs/ (Turtle, GraphML, HTML, papers.jsonl, store/)
      kg query --named datasets            # most used datasets
      kg query --named leaderboard -p metric=FID -p dataset=CIFAR-10
      kg query 'SELECT ?p ?t WHERE { ?p dcterms:title ?t } LIMIT 5'
      kg eval ../shared/gold/dev.jsonl     # score outputs/papers.jsonl against a gold file
    """


@main.command()
@click.argument("inputs", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.option("-o", "--output", "output_dir", default=DEFAULT_OUTPUT, show_default=True,
              type=click.Path(file_okay=False, path_type=Path), help="Folder the outputs are written to.")
@click.option("-f", "--format", "formats", multiple=True, default=("ttl",), show_default=True,
              type=click.Choice(sorted(RDF_FORMATS)), help="RDF formats to write (repeatable): ttl, nt, jsonld.")
@click.option("--gexf", is_flag=True, help="Also write kg.gexf (Gephi, with a timeline by paper date).")
@click.option("--no-html", is_flag=True, help="Skip the HTML viewer.")
@click.option("--no-store", is_flag=True, help="Skip the on-disk SPARQL store (outputs/store/).")
@click.option("-u", "--update", is_flag=True,
              help="Add INPUTS to the build already in the output folder; only new papers are extracted.")
@click.option("--skip-bad", is_flag=True,
              help="Go on past unreadable files and malformed records, and report what was skipped.")
@click.option("-j", "--jobs", default=1, show_default=True, type=click.IntRange(1, 64),
              help="Processes for extraction (workers of a local Dask cluster with --engine dask); "
                   "the output is identical for any number.")
@click.option("--engine", type=click.Choice(["local", "dask"]), default="local", show_default=True,
              help="Where extraction runs: this machine's processes, or a Dask cluster (pip install 'kg[dask]').")
@click.option("--scheduler", metavar="ADDRESS",
              help="The Dask scheduler to send extraction to (tcp://host:8786); without it --engine dask "
                   "starts a local cluster.")
@click.option("-q", "--quiet", is_flag=True, help="No progress or summary on the terminal.")
def build(inputs, output_dir, formats, gexf, no_html, no_store, update, skip_bad, jobs, engine, scheduler, quiet):
    """Build the knowledge graph of INPUTS into the output folder.

    INPUTS are files or folders (read recursively): daily-papers page text,
    JSON Lines, or JSON arrays of {title, abstract, id?, url?, date?,
    authors?}, recognised by content and mixed freely. A paper that appears
    in several inputs becomes one paper with every source recorded.

    Outputs are staged and only replace the previous ones when all are
    complete, so a failed build loses nothing.

    \b
    Examples:
      kg build ../shared/corpus papers.jsonl -o outputs -f ttl -f nt
      kg build --update today.txt          # add a new listing to outputs/
      kg build papers/ --engine dask --scheduler tcp://10.0.0.5:8786
    """
    if scheduler and engine != "dask":
        raise click.UsageError("--scheduler is the address of a Dask scheduler; use it with --engine dask")
    from kg.build import BuildOptions, UpdateError
    from kg.build import build as run_build
    from kg.ingest import InputError

    options = BuildOptions(
        rdf_formats=tuple(dict.fromkeys(RDF_FORMATS[f] for f in formats)),
        gexf=gexf,
        html=not no_html,
        store=not no_store,
        skip_bad=skip_bad,
        update=update,
        jobs=jobs,
        engine=engine,
        scheduler=scheduler,
    )
    from kg.extract.dask_engine import EngineError

    try:
        summary = run_build(inputs, output_dir, options, progress=_progress_printer(quiet))
    except EngineError as error:
        raise click.ClickException(str(error))
    except InputError as error:
        raise click.ClickException(f"{error}\n(nothing was written; use --skip-bad to go on past bad input)")
    except UpdateError as error:
        raise click.ClickException(str(error))
    if quiet:
        return
    for skipped in summary.skipped:
        click.echo(f"skipped: {skipped}", err=True)
    entity_counts = ", ".join(f"{n} {t}" for t, n in summary.entities.items())
    click.echo(f"papers     {summary.papers} ({summary.papers_read} read, {summary.duplicates_merged} duplicates merged, "
               f"{summary.papers_extracted} extracted)")
    click.echo(f"entities   {sum(summary.entities.values())}: {entity_counts}")
    click.echo("relations  " + ", ".join(f"{n} {r}" for r, n in summary.relations.items()))
    click.echo(f"results    {summary.results}")
    click.echo(f"skipped    {len(summary.skipped)}")
    click.echo(f"time       {summary.seconds.get('total', 0):.1f} s "
               f"({', '.join(f'{k} {v:.1f}' for k, v in summary.seconds.items() if k != 'total')})")
    click.echo(f"outputs    {output_dir}/: {', '.join(summary.outputs)}")


@main.command()
@click.argument("sparql", required=False)
@click.option("-n", "--named", help="Run a named query shipped with kg (see --list).")
@click.option("-p", "--param", "params", multiple=True, metavar="NAME=VALUE",
              help="A parameter of a named query, e.g. -p metric=FID (repeatable).")
@click.option("--list", "list_queries", is_flag=True, help="List the named queries and their parameters.")
@click.option("-s", "--store", "store_dir", default=f"{DEFAULT_OUTPUT}/store", show_default=True,
              type=click.Path(path_type=Path), help="The store written by kg build.")
@click.option("-e", "--endpoint", help="Query a SPARQL 1.1 endpoint at this URL instead of the local store.")
@click.option("-f", "--format", "output_format", default="table", show_default=True,
              type=click.Choice(["table", "csv", "json"]), help="How SELECT results are printed.")
def query(sparql, named, params, list_queries, store_dir, endpoint, output_format):
    """Run SPARQL over the built graph: a query string, an .rq file, or --named NAME.

    The prefixes kgo: (ontology), kg: (ids), rdfs:, skos:, dcterms:, xsd:
    and schema: are declared for you.

    \b
    Examples:
      kg query --list
      kg query --named leaderboard -p metric=FID -p dataset=CIFAR-10
      kg query queries/my.rq -f csv > out.csv
      kg query 'SELECT ?name (COUNT(?p) AS ?n) WHERE { ?p kgo:mentions ?d . ?d a kgo:Dataset ; rdfs:label ?name } GROUP BY ?name ORDER BY DESC(?n) LIMIT 10'
    """
    from kg.store import named_queries
    from kg.store.formats import format_result

    if list_queries:
        for item in named_queries.list_named_queries():
            params_text = ", ".join(f"{p.name}={p.default}" if p.default else p.name for p in item.parameters)
            click.echo(f"{item.name:22} {item.description}" + (f"  [{params_text}]" if params_text else ""))
        return
    if named:
        try:
            values = dict(p.split("=", 1) for p in params)
        except ValueError:
            raise click.BadParameter("parameters are NAME=VALUE", param_hint="--param")
        try:
            text = named_queries.bind_parameters(named_queries.load_named_query(named), values)
        except (KeyError, ValueError) as error:
            raise click.ClickException(str(error.args[0] if error.args else error))
    elif sparql:
        text = Path(sparql).read_text(encoding="utf-8") if sparql.endswith(".rq") and Path(sparql).exists() else sparql
    else:
        raise click.UsageError("give a SPARQL query, an .rq file, or --named NAME (see kg query --list)")
    try:
        if endpoint:
            from kg.store.oxigraph import query_endpoint

            result = query_endpoint(endpoint, text)
        else:
            from kg.store.oxigraph import open_store, run_query

            if not Path(store_dir).exists():
                raise click.ClickException(f"no store at {store_dir}: run `kg build INPUTS` first, or pass --store")
            result = run_query(open_store(store_dir), text)
    except click.ClickException:
        raise
    except Exception as error:  # the SPARQL parser's or endpoint's message is what the user needs
        raise click.ClickException(f"query failed: {error}")
    click.echo(format_result(result, output_format), nl=False)


@main.command(name="eval")
@click.argument("gold", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.argument("pred", required=False, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--errors", is_flag=True, help="List missed, spurious and mistyped entities per paper.")
@click.option("--json", "as_json", is_flag=True, help="Print the scores as JSON.")
def evaluate(gold, pred, errors, as_json):
    """Score per-paper records against a GOLD file in the guideline's format.

    PRED defaults to outputs/papers.jsonl; with no PRED file there, the gold
    papers' own titles and abstracts are extracted (when the gold file
    carries them) and scored.
    """
    from kg.evaluate import evaluate_files, format_scores

    pred = pred or Path(DEFAULT_OUTPUT) / "papers.jsonl"
    if not pred.exists():
        raise click.ClickException(f"no predictions at {pred}: run `kg build` first or pass PRED")
    scores, error_list = evaluate_files(gold, pred, with_errors=errors)
    if as_json:
        import json

        click.echo(json.dumps(scores, indent=1))
        return
    click.echo(format_scores(scores, error_list), nl=False)


@main.command()
@click.argument("inputs", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.option("-o", "--output", "output_file", default=f"{DEFAULT_OUTPUT}/kg.html", show_default=True,
              type=click.Path(dir_okay=False, path_type=Path), help="The HTML file to write.")
@click.option("--around", metavar="NAME", help="Show only what lies around this entity or paper title.")
@click.option("--depth", default=1, show_default=True, type=click.IntRange(1, 5), help="Hops around --around.")
@click.option("--types", metavar="TYPE[,TYPE…]",
              help="Entity types to show, e.g. Dataset,Metric (papers and results stay when linked).")
@click.option("--min-papers", default=0, show_default=True, type=click.IntRange(0),
              help="Only entities named by at least this many papers.")
@click.option("--max-nodes", default=1500, show_default=True, type=click.IntRange(10),
              help="Keep the best-connected nodes beyond this; the page says what was cut.")
@click.option("--skip-bad", is_flag=True, help="Go on past bad input and report it.")
def viz(inputs, output_file, around, depth, types, min_papers, max_nodes, skip_bad):
    """Write the interactive HTML viewer of INPUTS, cut to what you want to see.

    The page works offline: search by name, filter by type, click a node for
    its papers, evidence and code links, and open the leaderboard for a
    dataset and a metric.

    \b
    Examples:
      kg viz ../shared/corpus --around ResNet-50 --depth 2 -o resnet.html
      kg viz ../shared/corpus --types Dataset,Metric --min-papers 3
    """
    from kg.build import BuildOptions, build_corpus
    from kg.export.html import write_html
    from kg.graph import build_graph
    from kg.ingest import InputError

    try:
        corpus, _ = build_corpus(inputs, BuildOptions(skip_bad=skip_bad))
    except InputError as error:
        raise click.ClickException(str(error))
    chosen = [t.strip() for t in types.split(",")] if types else None
    try:
        cut = write_html(build_graph(corpus), output_file, title="kg: ML research graph", around=around, depth=depth,
                         types=chosen, min_papers=min_papers, max_nodes=max_nodes)
    except ValueError as error:
        raise click.ClickException(str(error))
    click.echo(f"{output_file}: {len(cut.shown):,} of {cut.total_nodes:,} nodes")


@main.command()
@click.option("-s", "--store", "store_dir", default=f"{DEFAULT_OUTPUT}/store", show_default=True,
              type=click.Path(path_type=Path), help="The store written by kg build (opened read-only).")
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on; 0.0.0.0 opens the endpoint to the network.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535), help="Port (0: any free one).")
@click.option("--timeout", "timeout_s", default=30.0, show_default=True, type=click.FloatRange(min=0.1),
              help="Seconds a query may run before it is stopped (answered 503).")
@click.option("--max-rows", default=10_000, show_default=True, type=click.IntRange(min=1),
              help="Rows (or triples) an answer holds at most; a cut answer says so (X-KG-Truncated).")
@click.option("--cors", is_flag=True, help="Send CORS headers, so web pages on other origins (YASGUI) can query.")
def serve(store_dir, host, port, timeout_s, max_rows, cors):
    """Serve the store as a read-only SPARQL 1.1 endpoint at http://HOST:PORT/sparql.

    Queries come by GET ?query=, POST form or POST application/sparql-query;
    answers follow Accept (SPARQL JSON, XML, CSV, TSV; Turtle, N-Triples,
    JSON-LD for CONSTRUCT). Updates are refused. The build folder's kg.html
    is served at / and kg.ttl at /kg.ttl.

    \b
    Example:
      kg serve --store outputs/store --port 8000
      curl -H 'Accept: text/csv' --data-urlencode 'query=SELECT ?name WHERE { ?d a kgo:Dataset ; rdfs:label ?name } LIMIT 5' http://127.0.0.1:8000/sparql
    """
    from kg.serve import serve as run_endpoint
    from kg.store.oxigraph import StoreError

    if not Path(store_dir).exists():
        raise click.ClickException(f"no store at {store_dir}: run `kg build INPUTS` first, or pass --store")
    try:
        run_endpoint(store_dir, host, port, timeout_s=timeout_s, max_rows=max_rows, cors=cors)
    except (StoreError, OSError, RuntimeError) as error:  # a taken port, a store that cannot be opened
        raise click.ClickException(str(error))


if __name__ == "__main__":
    main()
