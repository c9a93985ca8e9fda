"""The ``fou`` command (also ``python -m analysis``).

Every subcommand has ``--help``. Errors in input data are printed as a list naming file, row,
column and value, and the command exits with status 2 (also for a refused ``--out``); errors
from the operating system (permissions, read-only or full disk, missing folder) are one line
with status 1, as is a failed report; Ctrl-C / SIGTERM stop ``fou run`` with one line and
status 130 / 143. No traceback unless ``FOU_DEBUG`` is set for a failed notebook.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from analysis import __version__
from analysis.data.errors import DataValidationError

EXIT_DATA_ERROR = 2
EXIT_OS_ERROR = 1
EXIT_INTERRUPTED = 130


def _cmd_data_build(args: argparse.Namespace) -> int:
    from analysis.data.build import build_processed

    written = build_processed()
    if not args.quiet:
        for name, path in written.items():
            print(f"skrev {path}  ({name})")
    return 0


def _cmd_data_catalogue(args: argparse.Namespace) -> int:
    from analysis.data.published import catalogue_markdown
    from analysis.paths import published_dir

    path = published_dir() / "README.md"
    text = catalogue_markdown()
    if args.check:
        return 0 if path.is_file() and path.read_text(encoding="utf-8") == text else 1
    path.write_text(text, encoding="utf-8")
    print(f"skrev {path}")
    return 0


def _cmd_data_check(args: argparse.Namespace) -> int:
    from analysis.data.published import load_all_published, load_catalogue
    from analysis.data.quality import quality_findings

    tables = load_all_published()
    keys = {name: entry.key for name, entry in load_catalogue().items()}
    findings = quality_findings(tables, keys)
    n_rows = sum(len(t) for t in tables.values())
    print(f"{len(tables)} publiserte tabeller, {n_rows} rader: alle validert.")
    shown = findings if args.all else findings.loc[findings["status"] != "ok"]
    print(f"{len(findings)} kontroller, {int((findings['status'] == 'avvik').sum())} avvik:")
    for r in shown.itertuples(index=False):
        print(f"  [{r.status}] {r.detail}  ({r.source_document})")
    return 0


def _cmd_notebooks_clean(args: argparse.Namespace) -> int:
    from pathlib import Path

    from analysis.notebook_hygiene import clean_notebook
    from analysis.paths import notebooks_dir

    paths = [Path(p) for p in args.paths] or sorted(notebooks_dir().glob("*.ipynb"))
    changed = [p for p in paths if clean_notebook(p)]
    for p in changed:
        print(f"renset {p}")
    if args.check and changed:
        return 1
    return 0


def _cmd_synth(args: argparse.Namespace) -> int:
    from analysis.data import synthetic

    make = synthetic.synth_hr if args.synth_command == "hr" else synthetic.synth_jobbsjansen
    result = make(args.year, args.seed)
    path = synthetic.write_synthetic(result, args.out)
    if not args.quiet:
        print(f"skrev {path} ({len(result.frame)} rader, syntetiske data). {result.note}")
    return 0


def _cmd_run(args: argparse.Namespace) -> int:
    from pathlib import Path

    from analysis import pipeline
    from analysis.data import progress
    from analysis.paths import reports_dir

    say = (lambda _msg: None) if args.quiet else print
    out = Path(args.out) if args.out else reports_dir()
    # refuse a bad --out before reading any input
    pipeline.check_out_dir(out, [args.hr_data, args.jobbsjansen_data])
    if not args.quiet:  # reading and validating large person-level files
        progress.set_reporter(lambda line: print(line, file=sys.stderr, flush=True))
    if args.hr_data or args.jobbsjansen_data:
        say("Kontrollerer persondatafilene og finner årene …")
    jobs = pipeline.plan(
        years=args.year or (),
        notebooks=args.notebook or (),
        hr_data=args.hr_data,
        jobbsjansen_data=args.jobbsjansen_data,
        min_cell=args.min_cell,
        seed=args.seed,
    )
    if not jobs:
        print("fou run: ingen notatbøker å kjøre (ingen år med data)", file=sys.stderr)
        return 1
    summary = pipeline.run(
        jobs,
        out_dir=out,
        n_jobs=args.jobs,
        force=args.force,
        progress=None if args.quiet else print,
    )
    if not summary.ok:
        if args.quiet:
            for r in summary.failed:
                print(f"fou run: {r.error}", file=sys.stderr)
        return 1
    return 0


def _min_cell_arg(text: str) -> int:
    """``--min-cell``: a whole number of at least 3 (argparse exits 2 with the message)."""
    from analysis.report.min_cell import check_min_cell

    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"må være et helt tall, ikke {text!r}") from None
    try:
        return check_min_cell(value)
    except ValueError as e:
        raise argparse.ArgumentTypeError(str(e)) from None


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="fou",
        description="IMDi FoU analysis workbench: published figures, person-level data, "
        "pay gap, sick leave and Jobbsjansen reports.",
    )
    parser.add_argument("--version", action="version", version=f"fou-analyse {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True

    data = sub.add_parser(
        "data",
        help="validate the raw data and build data/processed",
        description="Validate the raw data and build data/processed.",
    )
    data_sub = data.add_subparsers(dest="data_command", metavar="SUBCOMMAND")
    data_sub.required = True
    build = data_sub.add_parser(
        "build",
        help="write data/processed/*.parquet from data/raw/published",
        description="Validate every published table and write tidy, typed parquet files and "
        "the data-quality findings to data/processed/. Raw files are never modified.",
    )
    build.add_argument("--quiet", action="store_true", help="print nothing on success")
    build.set_defaults(func=_cmd_data_build)
    check = data_sub.add_parser(
        "check",
        help="validate the published tables and print the data-quality findings",
        description="Validate every published table and reconcile the tables with "
        "themselves; print the findings that do not reconcile (all with --all).",
    )
    check.add_argument("--all", action="store_true", help="also print the checks that pass")
    check.set_defaults(func=_cmd_data_check)
    catalogue = data_sub.add_parser(
        "catalogue",
        help="write data/raw/published/README.md from catalogue.yaml",
        description="Render the catalogue of published tables (catalogue.yaml) as "
        "data/raw/published/README.md.",
    )
    catalogue.add_argument(
        "--check", action="store_true", help="exit 1 if the README is out of date, write nothing"
    )
    catalogue.set_defaults(func=_cmd_data_catalogue)

    synth = sub.add_parser(
        "synth",
        help="write synthetic person-level data calibrated to the published figures",
        description="Write synthetic person-level data in exactly the schemas of the real "
        "exports (docs/schemas.md), calibrated to the published figures of the year (or the "
        "nearest year with published figures, which the output says). A sidecar file "
        "PATH.meta.json marks the data as synthetic.",
    )
    synth_sub = synth.add_subparsers(dest="synth_command", metavar="KIND")
    synth_sub.required = True
    for kind, text in (
        ("hr", "HR/payroll data, one row per person and year"),
        ("jobbsjansen", "Jobbsjansen register, one row per participant spell"),
    ):
        sp = synth_sub.add_parser(kind, help=text, description=f"Synthetic {text}.")
        sp.add_argument("--year", type=int, required=True, help="year (register: exit year)")
        sp.add_argument("--seed", type=int, default=2025, help="random seed (default 2025)")
        sp.add_argument(
            "--out", required=True, metavar="PATH", help="output file: .csv or .parquet"
        )
        sp.add_argument("--quiet", action="store_true", help="print nothing on success")
        sp.set_defaults(func=_cmd_synth)

    run = sub.add_parser(
        "run",
        help="execute the report notebooks per year and export the reports",
        description="Execute each report notebook for each year with papermill (parameters "
        "injected, several kernels at a time) and export self-contained HTML (ministry "
        "version without code, and a version with code), the key figures as JSON and "
        "index.html. Unchanged jobs are skipped. With no --year: every year that has data; "
        "with no --notebook: all reports.",
    )
    run.add_argument(
        "--year", type=int, action="append", metavar="Y", help="year to build (repeat for several)"
    )
    run.add_argument(
        "--notebook",
        action="append",
        metavar="NAME",
        help="report to build: lonnsgap, sykefravaer, jobbsjansen (repeatable)",
    )
    run.add_argument(
        "--hr-data",
        metavar="PATH",
        help="person-level HR/payroll data (default: synthetic data calibrated "
        "to the published figures)",
    )
    run.add_argument(
        "--jobbsjansen-data",
        metavar="PATH",
        help="Jobbsjansen participant register (default: synthetic register)",
    )
    run.add_argument(
        "--jobs", type=int, metavar="N", help="kernels at a time (default: number of CPUs)"
    )
    run.add_argument(
        "--out",
        metavar="DIR",
        help="output directory (default: reports/); not inside data/ nor an input file's "
        "folder; one run at a time per directory (a second one waits)",
    )
    run.add_argument("--force", action="store_true", help="rebuild even if nothing changed")
    run.add_argument("--quiet", action="store_true", help="no progress output")
    run.add_argument(
        "--min-cell",
        type=_min_cell_arg,
        default=5,
        metavar="N",
        help="suppress cells with fewer persons than this (default 5, at least 3)",
    )
    run.add_argument(
        "--seed", type=int, default=2025, help="seed for synthetic data (default 2025)"
    )
    run.set_defaults(func=_cmd_run)

    nbs = sub.add_parser(
        "notebooks",
        help="keep the committed notebooks clean",
        description="Keep the committed notebooks clean.",
    )
    nbs_sub = nbs.add_subparsers(dest="notebooks_command", metavar="SUBCOMMAND")
    nbs_sub.required = True
    clean = nbs_sub.add_parser(
        "clean",
        help="strip outputs, number cell ids, pin the kernel",
        description="Strip outputs and execution counts, number the cell ids 0, 1, 2, ... "
        "and pin the kernelspec to python3 (what nbstripout does), in place.",
    )
    clean.add_argument("paths", nargs="*", help="notebooks (default: notebooks/*.ipynb)")
    clean.add_argument(
        "--check", action="store_true", help="exit 1 if any notebook had to be cleaned"
    )
    clean.set_defaults(func=_cmd_notebooks_clean)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the ``fou`` command; returns the exit status.

    Exit status: 0 success; 1 a report failed or the operating system refused (one line:
    permissions, read-only or full disk, missing folder); 2 invalid input or a refused
    ``--out``; 130 / 143 stopped by Ctrl-C (SIGINT) / SIGTERM.
    """
    from analysis.pipeline import OutputFolderError, RunInterrupted

    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.func(args))
    except DataValidationError as e:
        print(f"fou: feil i inndata / invalid input\n{e}", file=sys.stderr)
        return EXIT_DATA_ERROR
    except OutputFolderError as e:
        print(f"fou {args.command}: {e}", file=sys.stderr)
        return EXIT_DATA_ERROR
    except RunInterrupted as e:
        print(
            f"fou {args.command}: avbrutt ({e.signal_name}); alle kjerner er stoppet, ingen "
            "rapport er installert etter avbruddet og midlertidige filer er fjernet.",
            file=sys.stderr,
        )
        return e.exit_code
    except KeyboardInterrupt:  # Ctrl-C outside a run (e.g. while reading the inputs)
        print(f"fou {args.command}: avbrutt (Ctrl-C).", file=sys.stderr)
        return EXIT_INTERRUPTED
    except OSError as e:
        from analysis.oserrors import describe_os_error

        where = getattr(args, "out", None) if args.command == "run" else None
        if args.command == "run" and not where:
            from analysis.paths import reports_dir

            where = str(reports_dir())
        print(f"fou {args.command}: {describe_os_error(e, where)}", file=sys.stderr)
        return EXIT_OS_ERROR


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
