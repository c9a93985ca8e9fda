"""The ``fou`` command (also ``python -m analysis``).

Every subcommand has ``--help``. Errors in input data are printed as a list naming file, row,
column and value, and the command exits with status 2 (also for a refused ``--out``, an
invalid ``--publication-date`` and ``--pdf`` without Chromium); errors
from the operating system (permissions, read-only or full disk, missing folder) are one line
with status 1, as is a failed report; Ctrl-C / SIGTERM stop ``fou run`` with one line and
status 130 / 143. No traceback unless ``FOU_DEBUG`` is set for a failed notebook.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Sequence
from typing import Any

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


def _cmd_docs(args: argparse.Namespace) -> int:
    from analysis.paths import project_root
    from analysis.render.methodtext import update_methods_doc

    path = project_root() / "docs" / "methods.md"
    old = path.read_text(encoding="utf-8")
    new = update_methods_doc(old)
    if args.check:
        return 0 if new == old else 1
    if new != old:
        path.write_text(new, encoding="utf-8")
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

    from analysis.paths import notebooks_dir
    from analysis.pipeline.notebook_hygiene import clean_notebook

    paths = [Path(p) for p in args.paths] or sorted(notebooks_dir().glob("*.ipynb")) + sorted(
        (notebooks_dir() / "utforsk").glob("*.ipynb")
    )
    changed = [p for p in paths if clean_notebook(p)]
    for p in changed:
        print(f"renset {p}")
    if args.check and changed:
        return 1
    return 0


def _cmd_synth(args: argparse.Namespace) -> int:
    from pathlib import Path

    from analysis.data import synthetic
    from analysis.render.sources import DATA_SOURCE_SHORT

    make = synthetic.synth_hr if args.synth_command == "hr" else synthetic.synth_jobbsjansen
    suffix = Path(args.out).suffix.lower()
    if suffix not in {*synthetic.WRITE_SUFFIXES, ".pq"}:
        # checked before the (slow) synthesis; write_synthetic checks again
        print(
            f"fou synth: kan ikke skrive {args.out}: filnavnet må slutte på .csv, .xlsx "
            "eller .parquet",
            file=sys.stderr,
        )
        return EXIT_DATA_ERROR
    result = make(args.year, args.seed)
    path = synthetic.write_synthetic(result, args.out, csv_dialect=args.csv)
    if not args.quiet:
        what = DATA_SOURCE_SHORT["synthetic"]
        print(f"skrev {path} ({len(result.frame)} rader, {what}). {result.note}")
    return 0


def _cmd_run(args: argparse.Namespace) -> int:
    from analysis.data import progress

    # progress lines on stderr for this run only (a reporter left by an earlier call in the
    # same process, e.g. a notebook or the tests calling main() twice, must not outlive it)
    progress.set_reporter(
        None if args.quiet else (lambda line: print(line, file=sys.stderr, flush=True))
    )
    try:
        return _run_reports(args)
    finally:
        progress.set_reporter(None)


def _run_reports(args: argparse.Namespace) -> int:
    from pathlib import Path

    from analysis.paths import reports_dir
    from analysis.pipeline.out_folder import check_out_dir
    from analysis.pipeline.params import ParameterError, parse_params
    from analysis.pipeline.run import run

    say = (lambda _msg: None) if args.quiet else print
    out = Path(args.out) if args.out else reports_dir()
    # refuse a bad --out before reading any input
    check_out_dir(out, [args.hr_data, args.jobbsjansen_data])
    chromium = None
    if args.pdf:  # before anything is built: without a browser there is no PDF
        from analysis.pipeline.pdf import require_chromium

        chromium = require_chromium()
    if args.hr_data or args.jobbsjansen_data:
        say("Kontrollerer persondatafilene og finner årene …")
    try:
        jobs = _plan_jobs(args, parse_params(args.param or ()))
    except ParameterError as e:
        print(f"fou run: {e}", file=sys.stderr)
        return EXIT_DATA_ERROR
    if not jobs:
        print("fou run: ingen notatbøker å kjøre (ingen år med data)", file=sys.stderr)
        return 1
    summary = run(
        jobs,
        out_dir=out,
        n_jobs=args.jobs,
        force=args.force,
        progress=None if args.quiet else print,
        pdf=chromium,
    )
    if not summary.ok:
        if args.quiet:
            for r in summary.failed:
                print(f"fou run: {r.error}", file=sys.stderr)
            for e in summary.pdf_errors:
                print(f"fou run: {e}", file=sys.stderr)
        return 1
    return 0


def _plan_jobs(args: argparse.Namespace, params: dict[str, Any]) -> list[Any]:
    """The run's jobs (:func:`analysis.pipeline.plan.plan`) with the ``--param`` choices."""
    from analysis.pipeline.plan import plan

    return plan(
        years=args.year or (),
        notebooks=args.notebook or (),
        hr_data=args.hr_data,
        jobbsjansen_data=args.jobbsjansen_data,
        min_cell=args.min_cell,
        seed=args.seed,
        publication_date=args.publication_date,
        params=params,
    )


def _date_arg(text: str) -> str:
    """``--publication-date``: a real calendar day written ÅÅÅÅ-MM-DD (argparse exits 2)."""
    from analysis.pipeline.specs import check_publication_date

    try:
        return check_publication_date(text)
    except ValueError as e:
        raise argparse.ArgumentTypeError(str(e)) from None


def _min_cell_arg(text: str) -> int:
    """``--min-cell``: a whole number of at least 3 (argparse exits 2 with the message)."""
    from analysis.disclosure.min_cell import check_min_cell

    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"må være et helt tall, ikke {text!r}") from None
    try:
        return check_min_cell(value)
    except ValueError as e:
        raise argparse.ArgumentTypeError(str(e)) from None


class _Formatter(argparse.HelpFormatter):
    """argparse's help layout with the headings in bokmål."""

    def add_usage(self, usage, actions, groups, prefix=None):  # type: ignore[override]
        super().add_usage(usage, actions, groups, "bruk: " if prefix is None else prefix)


# argparse's own error messages (Python 3.11-3.14), in bokmål; others are shown as they are
_ERRORS = (
    (r"the following arguments are required: (.*)", r"disse argumentene mangler: \1"),
    (r"unrecognized arguments: (.*)", r"ukjente argumenter: \1"),
    (r"argument (.+?): invalid int value: (.*)", r"argument \1: \2 er ikke et heltall"),
    (
        r"argument (.+?): invalid choice: (.*?) \(choose from (.*)\)",
        r"argument \1: ukjent valg \2 (velg blant \3)",
    ),
    (r"argument (.+?): expected one argument", r"argument \1: mangler en verdi"),
    (r"argument (.+?): ignored explicit argument (.*)", r"argument \1: tar ingen verdi (\2)"),
    (r"ambiguous option: (.*?) could match (.*)", r"tvetydig valg: \1 kan være \2"),
)


def translate_error(message: str) -> str:
    """An argparse error message in bokmål (unchanged if it is not one argparse writes)."""
    for pattern, replacement in _ERRORS:
        if re.fullmatch(pattern, message):
            return re.sub(pattern, replacement, message)
    return message


class _Parser(argparse.ArgumentParser):
    """An ``ArgumentParser`` that speaks bokmål: headings, ``-h`` and argparse's errors."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("formatter_class", _Formatter)
        kwargs["add_help"] = False
        super().__init__(*args, **kwargs)
        self._positionals.title = "argumenter"
        self._optionals.title = "valg"
        self.add_argument(
            "-h", "--help", action="help", default=argparse.SUPPRESS, help="vis denne hjelpen"
        )

    def error(self, message: str):  # type: ignore[override]
        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog}: feil: {translate_error(message)}\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="fou",
        description="Analyseverkstedet til FoU-enheten i IMDi: publiserte tall, persondata og "
        "rapportene om lønnsforskjeller, sykefravær og Jobbsjansen.",
    )
    parser.add_argument(
        "--version",
        action="version",
        version=f"fou-analyse {__version__}",
        help="vis versjonen",
    )
    sub = parser.add_subparsers(
        dest="command", metavar="KOMMANDO", title="kommandoer", parser_class=_Parser
    )
    sub.required = True

    data = sub.add_parser(
        "data",
        help="valider rådata og bygg data/processed",
        description="Valider rådata og bygg data/processed.",
    )
    data_sub = data.add_subparsers(
        dest="data_command", metavar="UNDERKOMMANDO", title="underkommandoer"
    )
    data_sub.required = True
    build = data_sub.add_parser(
        "build",
        help="skriv data/processed/*.parquet fra data/raw/published",
        description="Valider alle publiserte tabeller og skriv ryddige, typede parquet-filer "
        "og funnene fra datakvalitetskontrollen til data/processed/. Råfilene endres aldri.",
    )
    build.add_argument("--quiet", action="store_true", help="skriv ingenting når alt går bra")
    build.set_defaults(func=_cmd_data_build)
    check = data_sub.add_parser(
        "check",
        help="valider de publiserte tabellene og vis funnene fra datakvalitetskontrollen",
        description="Valider alle publiserte tabeller og avstem tabellene mot hverandre; vis "
        "kontrollene som ikke går opp (alle med --all).",
    )
    check.add_argument("--all", action="store_true", help="vis også kontrollene som går opp")
    check.set_defaults(func=_cmd_data_check)
    catalogue = data_sub.add_parser(
        "catalogue",
        help="skriv data/raw/published/README.md fra catalogue.yaml",
        description="Lag katalogen over publiserte tabeller (catalogue.yaml) som "
        "data/raw/published/README.md.",
    )
    catalogue.add_argument(
        "--check",
        action="store_true",
        help="avslutt med status 1 hvis README-en er utdatert; skriv ingenting",
    )
    catalogue.set_defaults(func=_cmd_data_catalogue)

    synth = sub.add_parser(
        "synth",
        help="skriv syntetiske persondata kalibrert til de publiserte tallene",
        description="Skriv syntetiske persondata med nøyaktig de samme skjemaene som de ekte "
        "uttrekkene (docs/schemas.md), kalibrert til de publiserte tallene for året (eller "
        "nærmeste år med publiserte tall, som utskriften sier). En følgefil STI.meta.json "
        "merker dataene som syntetiske. Formatet følger filnavnet: .csv, .xlsx eller .parquet "
        "(alle formatene fou run leser).",
    )
    synth_sub = synth.add_subparsers(dest="synth_command", metavar="TYPE", title="typer")
    synth_sub.required = True
    for kind, text in (
        ("hr", "HR-/lønnsdata, én rad per person og år"),
        ("jobbsjansen", "Jobbsjansen-registeret, én rad per deltakelsesperiode"),
    ):
        sp = synth_sub.add_parser(kind, help=text, description=f"Syntetiske {text}.")
        sp.add_argument(
            "--year", type=int, required=True, metavar="ÅR", help="år (registeret: sluttår)"
        )
        sp.add_argument(
            "--seed", type=int, default=2025, metavar="FRØ", help="frø for tilfeldige tall (2025)"
        )
        sp.add_argument(
            "--out",
            required=True,
            metavar="STI",
            help="fil som skal skrives: .csv, .xlsx eller .parquet",
        )
        sp.add_argument(
            "--csv",
            choices=("plain", "excel"),
            default="plain",
            help="CSV-variant: plain (komma, desimalpunktum; standard) eller excel (som Excel "
            "lagrer CSV i Norge: semikolon og desimalkomma)",
        )
        sp.add_argument("--quiet", action="store_true", help="skriv ingenting når alt går bra")
        sp.set_defaults(func=_cmd_synth)

    run = sub.add_parser(
        "run",
        help="kjør rapportnotatbøkene per år og eksporter rapportene",
        description="Kjør hver rapportnotatbok for hvert år med papermill (parametere satt "
        "inn, flere kjerner om gangen) og eksporter selvstendig HTML (utgave for departementet "
        "uten kode og en utgave med kode), nøkkeltallene som JSON og index.html (med --pdf "
        "også en A4-PDF av utgaven for departementet). Uendrede jobber hoppes over. Uten "
        "--year: alle år som har data; uten --notebook: alle rapportene. En rapport bygd fra "
        "ekte persondata får navnet <rapport>-persondata og overskrives aldri av en kjøring "
        "uten persondata.",
    )
    run.add_argument(
        "--year", type=int, action="append", metavar="ÅR", help="år å bygge (gjentas for flere)"
    )
    run.add_argument(
        "--notebook",
        action="append",
        metavar="NAVN",
        help="rapport å bygge, med navnet i notebooks/reports.yaml, f.eks. lonnsgap (kan gjentas)",
    )
    run.add_argument(
        "--hr-data",
        metavar="STI",
        help="HR-/lønnsdata på personnivå (standard: syntetiske data kalibrert til de "
        "publiserte tallene)",
    )
    run.add_argument(
        "--jobbsjansen-data",
        metavar="STI",
        help="deltakerregisteret for Jobbsjansen (standard: syntetisk register)",
    )
    run.add_argument(
        "--jobs", type=int, metavar="N", help="kjerner om gangen (standard: antall CPU-er)"
    )
    run.add_argument(
        "--out",
        metavar="MAPPE",
        help="mappe å skrive til (standard: reports/); ikke inne i data/ eller i mappen til en "
        "inndatafil; én kjøring om gangen per mappe (en ny venter)",
    )
    run.add_argument(
        "--force", action="store_true", help="bygg på nytt selv om ingenting er endret"
    )
    run.add_argument("--quiet", action="store_true", help="ingen fremdriftsmeldinger")
    run.add_argument(
        "--min-cell",
        type=_min_cell_arg,
        default=None,
        metavar="N",
        help="skjul celler med færre personer enn dette (standard 5, minst 3)",
    )
    run.add_argument(
        "--param",
        action="append",
        metavar="NAVN=VERDI",
        help="et analysevalg fra notatbokas parametercelle, f.eks. --param funnel_target=0.6; "
        "VERDI leses som YAML (som papermill -y), en liste skrives [a, b]; kan gjentas. "
        "Kontrolleres før noe bygges; se docs/researcher-guide.md",
    )
    run.add_argument(
        "--seed",
        type=int,
        default=2025,
        metavar="FRØ",
        help="frø for syntetiske data (standard 2025)",
    )
    run.add_argument(
        "--publication-date",
        type=_date_arg,
        metavar="ÅÅÅÅ-MM-DD",
        help="publiseringsdato som vises under tittelen i hver rapport (og i PDF-ens "
        "metadata); går foran publication_date i notebooks/reports.yaml. Uten: bare "
        "statistikkåret, aldri byggedatoen",
    )
    run.add_argument(
        "--pdf",
        action="store_true",
        help="skriv også hver rapport for departementet som A4-PDF ved siden av HTML-filen "
        "(trenger Chromium; FOU_CHROMIUM kan peke på den)",
    )
    run.set_defaults(func=_cmd_run)

    docs = sub.add_parser(
        "docs",
        help="skriv metodetekstene inn i docs/methods.md",
        description="Skriv metodeteksten til hver rapport (src/analysis/<domene>/method.md, "
        "den samme teksten som rapportens «Data og metode») inn i docs/methods.md.",
    )
    docs.add_argument(
        "--check",
        action="store_true",
        help="avslutt med status 1 hvis docs/methods.md er utdatert; skriv ingenting",
    )
    docs.set_defaults(func=_cmd_docs)

    nbs = sub.add_parser(
        "notebooks",
        help="hold notatbøkene i git rene",
        description="Hold notatbøkene i git rene.",
    )
    nbs_sub = nbs.add_subparsers(
        dest="notebooks_command", metavar="UNDERKOMMANDO", title="underkommandoer"
    )
    nbs_sub.required = True
    clean = nbs_sub.add_parser(
        "clean",
        help="fjern utdata, nummerer celle-id-ene, fest kjernen",
        description="Fjern utdata og kjøringsnumre, nummerer celle-id-ene 0, 1, 2, ... og "
        "sett kjernen (kernelspec) til den prosjektet bruker (som nbstripout), i selve filen.",
    )
    clean.add_argument(
        "paths",
        nargs="*",
        help="notatbøker (standard: notebooks/*.ipynb og notebooks/utforsk/*.ipynb)",
    )
    clean.add_argument(
        "--check",
        action="store_true",
        help="avslutt med status 1 hvis en notatbok måtte renses",
    )
    clean.set_defaults(func=_cmd_notebooks_clean)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the ``fou`` command; returns the exit status.

    Exit status: 0 success; 1 a report failed or the operating system refused (one line:
    permissions, read-only or full disk, missing folder); 2 invalid input or a refused
    ``--out``; 130 / 143 stopped by Ctrl-C (SIGINT) / SIGTERM.
    """
    from analysis.pipeline.interrupt import RunInterrupted
    from analysis.pipeline.out_folder import OutputFolderError
    from analysis.pipeline.pdf import BrowserNotFound
    from analysis.pipeline.plan import UnknownReportError

    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.func(args))
    except DataValidationError as e:
        print(f"fou: feil i inndata\n{e}", file=sys.stderr)
        return EXIT_DATA_ERROR
    except (OutputFolderError, BrowserNotFound, UnknownReportError) as e:
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
