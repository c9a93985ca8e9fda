"""The ``fou`` command: --help everywhere, exit codes, python -m analysis."""

from __future__ import annotations

import argparse
import re
import subprocess
import sys

import pytest

from analysis.cli import build_parser, main


def _subcommand_paths(parser: argparse.ArgumentParser, prefix=()):
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                yield (*prefix, name)
                yield from _subcommand_paths(sub, (*prefix, name))


PATHS = list(_subcommand_paths(build_parser()))


def test_there_are_subcommands():
    assert ("data", "build") in PATHS and ("data", "check") in PATHS


@pytest.mark.parametrize("path", [(), *PATHS], ids=lambda p: " ".join(p) or "fou")
def test_help_everywhere(path, capsys):
    with pytest.raises(SystemExit) as exc:
        main([*path, "--help"])
    assert exc.value.code == 0
    out = capsys.readouterr().out
    assert out.startswith("bruk: fou")
    assert "valg:" in out and "vis denne hjelpen" in out


# English words that never occur in bokmål (so no false alarms from "for", "to", "i", ...)
ENGLISH = {
    "the",
    "and",
    "of",
    "with",
    "show",
    "this",
    "message",
    "exit",
    "usage",
    "options",
    "optional",
    "positional",
    "arguments",
    "argument",
    "default",
    "print",
    "write",
    "output",
    "from",
    "when",
    "which",
    "only",
    "every",
    "each",
    "if",
    "is",
    "or",
    "in",
    "are",
    "be",
    "by",
    "an",
    "than",
    "nothing",
    "file",
    "files",
    "year",
    "years",
    "seed",
    "path",
    "name",
    "command",
    "subcommand",
    "kind",
    "rows",
    "row",
    "column",
    "value",
    "invalid",
    "error",
    "required",
    "unrecognized",
    "choose",
    "validate",
    "keep",
}


def english_words(text: str) -> set[str]:
    """English words in a help text, ignoring option names, paths, file names and choices."""
    text = re.sub(r"--?[\w-]+", " ", text)  # options: --hr-data, -h
    text = re.sub(r"\S*[/.]\w\S*", " ", text)  # paths and files: data/processed, x.csv
    text = re.sub(r"\{[^}]*\}", " ", text)  # choices: {plain,excel}
    words = set(re.findall(r"[a-zæøå]+", text.lower()))
    return words & ENGLISH


def test_english_words_finds_english():
    assert english_words("show this help message and exit") == {
        "show",
        "this",
        "message",
        "and",
        "exit",
    }
    assert english_words("skriv data/processed/*.parquet fra --hr-data for år") == set()


@pytest.mark.parametrize("path", [(), *PATHS], ids=lambda p: " ".join(p) or "fou")
def test_help_is_bokmal(path, capsys):
    with pytest.raises(SystemExit):
        main([*path, "--help"])
    out = capsys.readouterr().out
    prose = out  # the subcommands' names (build, check, run, ...) are not in ENGLISH
    assert english_words(prose) == set(), out


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (["run", "--year", "x"], "fou run: feil: argument --year: 'x' er ikke et heltall"),
        (
            ["synth", "hr", "--out", "a.csv"],
            "fou synth hr: feil: disse argumentene mangler: --year",
        ),
        (["nonsense"], "fou: feil: argument KOMMANDO: ukjent valg"),
        (["data", "build", "--nope"], "fou: feil: ukjente argumenter: --nope"),
        (["run", "--jobs"], "fou run: feil: argument --jobs: mangler en verdi"),
    ],
)
def test_argparse_errors_are_bokmal(argv, expected, capsys):
    with pytest.raises(SystemExit) as exc:
        main(argv)
    assert exc.value.code == 2
    err = capsys.readouterr().err
    assert err.startswith("bruk: fou")
    assert expected in err
    assert english_words(err.split(": feil: ", 1)[1].split(":", 1)[-1]) == set(), err


def test_python_dash_m():
    res = subprocess.run(
        [sys.executable, "-m", "analysis", "--help"], capture_output=True, text=True
    )
    assert res.returncode == 0 and "bruk: fou" in res.stdout


def test_unknown_command_fails():
    with pytest.raises(SystemExit) as exc:
        main(["nonsense"])
    assert exc.value.code == 2


def test_notebooks_clean(tmp_path, capsys):
    import json

    nb = {
        "cells": [
            {
                "cell_type": "code",
                "id": "abc",
                "metadata": {"execution": {}},
                "source": "1+1",
                "outputs": [{"output_type": "stream", "name": "stdout", "text": "2"}],
                "execution_count": 3,
            },
            {"cell_type": "markdown", "id": "xyz", "metadata": {}, "source": "# T"},
        ],
        "metadata": {"kernelspec": {"name": "myenv"}},
        "nbformat": 4,
        "nbformat_minor": 5,
    }
    p = tmp_path / "n.ipynb"
    p.write_text(json.dumps(nb))
    assert main(["notebooks", "clean", "--check", str(p)]) == 1
    out = json.loads(p.read_text())
    assert [c["id"] for c in out["cells"]] == ["0", "1"]
    assert out["cells"][0]["outputs"] == [] and out["cells"][0]["execution_count"] is None
    assert out["metadata"]["kernelspec"]["name"] == "fou-analyse"
    assert main(["notebooks", "clean", "--check", str(p)]) == 0


@pytest.mark.parametrize("kind,id_col", [("hr", "person_id"), ("jobbsjansen", "participant_id")])
def test_synth_writes_valid_marked_data(tmp_path, kind, id_col):
    import json

    from analysis.data import microdata

    out = tmp_path / f"{kind}.csv"
    assert main(["synth", kind, "--year", "2024", "--seed", "3", "--out", str(out), "--quiet"]) == 0
    load = microdata.load_hr if kind == "hr" else microdata.load_jobbsjansen
    df = load(out)
    assert df[id_col].str.startswith("SYN-").all()
    meta = json.loads((tmp_path / f"{kind}.csv.meta.json").read_text())
    assert meta["synthetic"] is True and meta["seed"] == 3
    again = tmp_path / "again.csv"
    main(["synth", kind, "--year", "2024", "--seed", "3", "--out", str(again), "--quiet"])
    assert again.read_bytes() == out.read_bytes()  # deterministic for a seed


def test_synth_xlsx_feeds_fou_run_inputs(tmp_path, capsys):
    """The README's example: `fou synth jobbsjansen --out jobbsjansen.xlsx`, then read it."""
    import pandas as pd

    from analysis.data import microdata

    out = tmp_path / "jobbsjansen.xlsx"
    assert main(["synth", "jobbsjansen", "--year", "2024", "--out", str(out)]) == 0
    said = capsys.readouterr()
    assert "Traceback" not in said.err and said.out.startswith(f"skrev {out}")
    sheet = pd.read_excel(out, dtype=str)  # an ordinary workbook, one sheet
    assert sheet.columns[0] == "participant_id" and sheet.iloc[0, 0].startswith("SYN-")
    assert len(microdata.load_jobbsjansen(out)) == len(sheet)


def test_synth_excel_csv(tmp_path):
    out = tmp_path / "hr.csv"
    assert main(["synth", "hr", "--year", "2025", "--out", str(out), "--csv", "excel"]) == 0
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbfperson_id;year;gender;")  # BOM, semicolons
    assert re.search(rb";\d+,\d+;", raw)  # a decimal comma


def test_synth_unknown_format_is_a_message_not_a_traceback(tmp_path, capsys):
    out = tmp_path / "hr.xls"
    assert main(["synth", "hr", "--year", "2025", "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert "kan ikke skrive" in err and ".xlsx" in err and "Traceback" not in err
    assert not out.exists()


def test_bad_hr_file_gives_exit_2_and_names_the_problem(tmp_path, capsys):
    bad = tmp_path / "hr.csv"
    bad.write_text(
        "person_id;år;kjønn;stillingsgruppe;årslønn\nA1;2025;Kvinne;saksbehandler;-5\n",
        encoding="utf-8",
    )
    code = main(
        [
            "run",
            "--year",
            "2025",
            "--notebook",
            "lonnsgap",
            "--hr-data",
            str(bad),
            "--out",
            str(tmp_path / "r"),
            "--quiet",
        ]
    )
    assert code == 2
    err = capsys.readouterr().err
    assert "hr.csv" in err
    assert not (tmp_path / "r" / "2025").exists()


def test_plan_years_default_to_published_or_to_the_file(tmp_path):
    from analysis.data.synthetic import synth_hr, write_synthetic
    from analysis.pipeline.plan import plan

    jobs = plan()
    years = {
        n: sorted(j.year for j in jobs if j.notebook == n)
        for n in ("lonnsgap", "sykefravaer", "jobbsjansen")
    }
    assert years == {
        "lonnsgap": [2023, 2024, 2025],
        "sykefravaer": [2013, 2014, 2023, 2024, 2025],
        "jobbsjansen": [2012, 2013, 2024],
    }
    path = tmp_path / "hr.parquet"
    write_synthetic(synth_hr(2027, 1), path)
    jobs = plan(hr_data=str(path))
    assert sorted((j.notebook, j.year) for j in jobs if j.notebook != "jobbsjansen") == [
        ("lonnsgap", 2027),
        ("sykefravaer", 2027),
    ]
    assert all(
        j.parameters["hr_data"].endswith("hr.parquet") for j in jobs if j.notebook != "jobbsjansen"
    )
    assert not any(
        j.parameters["hr_data"].startswith("/") for j in jobs if "hr_data" in j.parameters
    )


def _one_line_error(capsys) -> str:
    err = capsys.readouterr().err
    assert "Traceback" not in err
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    return lines[0]


@pytest.mark.parametrize("out", ["data/reports", "data", "data/raw/published"])
def test_run_refuses_out_in_data(out, root, capsys, tmp_path):
    assert main(["run", "--year", "2025", "--out", str(root / out)]) == 2
    line = _one_line_error(capsys)
    assert line.startswith("fou run: --out ") and "ligger i data/" in line
    assert not (root / "data" / "reports").exists()
    assert not (root / "data" / "raw" / "published" / "index.html").exists()


def test_run_refuses_out_in_the_input_files_folder(tmp_path, capsys):
    data = tmp_path / "hr.csv"
    data.write_text("x\n", encoding="utf-8")
    assert main(["run", "--hr-data", str(data), "--out", str(tmp_path)]) == 2
    line = _one_line_error(capsys)
    assert "inndatafilen hr.csv" in line
    assert sorted(p.name for p in tmp_path.iterdir()) == ["hr.csv"]


def test_run_out_under_a_file_is_one_line(capsys):
    # a path under a file cannot be created, even as root
    assert main(["run", "--year", "2025", "--notebook", "lonnsgap", "--out", "/dev/null/x"]) == 1
    assert _one_line_error(capsys) == (
        "fou run: /dev/null/x: en del av stien er en fil, ikke en mappe"
    )


def test_run_read_only_out_is_one_line(tmp_path, capsys):
    """A read-only file system (a read-only tmpfs mounted for the test: as root, chmod does
    not stop writes) or, for other users, a folder without write permission."""
    import os

    ro = tmp_path / "ro"
    ro.mkdir()
    mounted = False
    if os.geteuid() == 0:
        res = subprocess.run(
            ["mount", "-t", "tmpfs", "-o", "ro,size=64k", "tmpfs", str(ro)], capture_output=True
        )
        if res.returncode != 0:
            pytest.skip("root without permission to mount a read-only file system")
        mounted = True
    else:
        ro.chmod(0o555)
    try:
        code = main(["run", "--year", "2025", "--notebook", "lonnsgap", "--out", str(ro / "r")])
    finally:
        if mounted:
            subprocess.run(["umount", str(ro)], check=True)
        else:
            ro.chmod(0o755)
    assert code == 1
    line = _one_line_error(capsys)
    assert line.startswith(f"fou run: {ro / 'r'}")
    assert "skrivebeskyttet" in line or "ingen tilgang" in line


@pytest.mark.parametrize(
    ("err", "expected"),
    [
        ((28, "No space left on device"), "ikke mer plass på disken (ved skriving til /o)"),
        ((13, "Permission denied", "/o/x"), "ingen tilgang til /o/x (mangler skrivetilgang?)"),
        ((2, "No such file or directory", "/o/x"), "finner ikke /o/x"),
        ((30, "Read-only file system", "/o"), "/o ligger på et skrivebeskyttet filsystem"),
    ],
)
def test_os_error_messages(err, expected):
    from analysis.oserrors import describe_os_error

    assert describe_os_error(OSError(*err), where="/o") == expected


def test_unknown_report_is_a_bokmal_error_without_traceback(tmp_path, capsys):
    # reports.yaml lists lonnsgap, sykefravaer and jobbsjansen; «xyz» is none of them
    out = tmp_path / "out"
    assert main(["run", "--notebook", "xyz", "--out", str(out), "--quiet"]) == 2
    err = capsys.readouterr().err
    assert "ukjent rapport xyz" in err and "lonnsgap, sykefravaer, jobbsjansen" in err
    assert "Traceback" not in err
    assert not out.exists()
