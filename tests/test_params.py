"""``fou run --param NAME=VALUE``: parsing as YAML, checks against the notebooks' parameters
cells and the domains' allowed values, exit 2 with nothing written, the cache key."""

from __future__ import annotations

import pytest

from analysis.cli import main
from analysis.paygap.covariates import (
    allowed_covariates,
    covariate_phrase,
    heading_phrase,
    plural_phrase,
)
from analysis.pipeline.cache import job_key
from analysis.pipeline.params import ParameterError, parse_param, parse_params
from analysis.pipeline.plan import plan
from analysis.pipeline.specs import load_report_specs

# --------------------------------------------------------------------------- parsing


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("oaxaca_covariates=[age, tenure_years]", ("oaxaca_covariates", ["age", "tenure_years"])),
        ("oaxaca_covariates=age", ("oaxaca_covariates", "age")),
        ("min_cell=7", ("min_cell", 7)),
        ("funnel_target=0.6", ("funnel_target", 0.6)),
        ("funnel_target=null", ("funnel_target", None)),
        ("funnel_method=funnelplotr", ("funnel_method", "funnelplotr")),
        ("x = [a,b]", ("x", ["a", "b"])),
    ],
)
def test_value_is_read_as_yaml(text, expected):
    assert parse_param(text) == expected


@pytest.mark.parametrize("text", ["oaxaca_covariates", "=1", "1x=2", "a=[b"])
def test_malformed_param_is_refused(text):
    with pytest.raises(ParameterError, match="--param"):
        parse_param(text)


def test_same_name_twice_is_refused():
    with pytest.raises(ParameterError, match="mer enn én gang"):
        parse_params(["min_cell=5", "min_cell=6"])


# --------------------------------------------------------------------------- plan


def test_params_reach_only_the_notebooks_that_declare_them():
    jobs = plan(
        years=[2025],
        notebooks=["lonnsgap", "sykefravaer"],
        params={"oaxaca_covariates": ["age", "tenure_years"]},
    )
    by = {j.notebook: j.parameters for j in jobs}
    assert by["lonnsgap"]["oaxaca_covariates"] == ["age", "tenure_years"]
    assert "oaxaca_covariates" not in by["sykefravaer"]


def test_default_run_passes_no_choices():
    """Without --param the jobs' parameters are as before (the reports stay byte-identical)."""
    (job,) = plan(years=[2025], notebooks=["lonnsgap"])
    assert set(job.parameters) == {"year", "min_cell", "seed", "hr_data", "publication_date"}


def test_param_changes_the_cache_key():
    specs = load_report_specs()
    (a,) = plan(years=[2025], notebooks=["lonnsgap"])
    (b,) = plan(years=[2025], notebooks=["lonnsgap"], params={"oaxaca_covariates": ["age"]})
    (c,) = plan(years=[2025], notebooks=["lonnsgap"], params={"oaxaca_references": ["male"]})
    keys = {job_key(j, specs["lonnsgap"]) for j in (a, b, c)}
    assert len(keys) == 3


def test_min_cell_param_is_min_cell():
    (job,) = plan(years=[2025], notebooks=["lonnsgap"], params={"min_cell": 7})
    assert job.parameters["min_cell"] == 7
    (same,) = plan(years=[2025], notebooks=["lonnsgap"], min_cell=7, params={"min_cell": 7})
    assert same.parameters == job.parameters
    with pytest.raises(ParameterError, match="ulike"):
        plan(years=[2025], notebooks=["lonnsgap"], min_cell=6, params={"min_cell": 7})


@pytest.mark.parametrize(
    ("notebook", "param", "message"),
    [
        ("lonnsgap", {"oaxaca_covariates": ["age", "tenur"]}, "ukjent forklaringsvariabel 'tenur'"),
        ("lonnsgap", {"oaxaca_covariates": []}, "minst én"),
        ("lonnsgap", {"oaxaca_covariates": ["age", "age"]}, "mer enn én gang"),
        ("lonnsgap", {"oaxaca_references": ["men"]}, "ukjent referanse 'men'"),
        ("sykefravaer", {"sick_leave_covariates": ["salary"]}, "sick_leave_covariates"),
        ("jobbsjansen", {"funnel_method": "PR"}, "funnel_method: ukjent metode 'PR'"),
        ("jobbsjansen", {"funnel_target": 60}, "mellom 0 og 1"),
        ("jobbsjansen", {"funnel_target": "høy"}, "mellom 0 og 1"),
        ("lonnsgap", {"min_cell": 2}, "minst 3"),
        ("lonnsgap", {"min_cell": "fem"}, "helt tall"),
        ("lonnsgap", {"year": 2024}, "bruk --year"),
        ("lonnsgap", {"funnel_method": "funnelplotr"}, "ukjent parameter for lonnsgap"),
    ],
)
def test_bad_params_are_refused_naming_the_parameter(notebook, param, message):
    with pytest.raises(ParameterError, match=message):
        plan(years=[2025], notebooks=[notebook], params=param)


def test_unknown_covariate_lists_the_allowed_ones_from_the_schema():
    with pytest.raises(ParameterError) as exc:
        plan(years=[2025], notebooks=["lonnsgap"], params={"oaxaca_covariates": ["x"]})
    for name in allowed_covariates(derived=("age2",)):
        assert name in str(exc.value)
    # the HR schema's columns, not a list written by hand
    assert {"job_group", "age", "tenure_years", "temporary", "education_level"} <= set(
        allowed_covariates()
    )
    assert "annual_pay" not in allowed_covariates() and "person_id" not in allowed_covariates()


# --------------------------------------------------------------------------- the command


@pytest.mark.parametrize(
    ("param", "message"),
    [
        ("oaxaca_covariates=[age, tenur]", "Tillatt: job_group"),
        ("min_cell=2", "minst 3"),
        ("nonsense=1", "ukjent parameter"),
        ("oaxaca_covariates=[age", "ikke gyldig YAML"),
    ],
)
def test_fou_run_refuses_a_bad_param_with_status_2_and_writes_nothing(
    tmp_path, capsys, param, message
):
    out = tmp_path / "out"
    rc = main(["run", "--notebook", "lonnsgap", "--year", "2025", "--out", str(out),
               "--param", param])  # fmt: skip
    err = capsys.readouterr().err
    assert rc == 2
    assert message in err and "Traceback" not in err
    assert not out.exists()


# the columns of a file written here: the HR schema's required columns, no education_level
HR_HEADER = (
    "person_id,year,gender,job_group,annual_pay,fte,age,tenure_years,temporary,"
    "agreed_workdays,sick_days_certified,sick_days_self"
)


@pytest.fixture
def hr_without_education(tmp_path):
    rows = [
        f"P{i},2025,{'KM'[i % 2]},saksbehandler,{600000 + 1000 * i},1.0,{30 + i % 20},"
        f"{1 + i % 9},False,230,{i % 7},{i % 3}"
        for i in range(40)
    ]
    path = tmp_path / "hr.csv"
    path.write_text("\n".join([HR_HEADER, *rows]) + "\n", encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("notebook", "param"),
    [
        ("lonnsgap", "oaxaca_covariates=[age, education_level]"),
        ("sykefravaer", "sick_leave_covariates=[education_level]"),
        ("sykefravaer", "sick_leave_covariates=[part_time]"),  # optional, not in this file
    ],
)
def test_a_covariate_the_file_does_not_have_stops_the_run_before_anything_is_built(
    tmp_path, capsys, hr_without_education, notebook, param
):
    """education_level and part_time are in the HR schema (so the name check passes) but not
    in this file: status 2, the file and its columns named, nothing written."""
    out = tmp_path / "out"
    rc = main(["run", "--notebook", notebook, "--year", "2025", "--out", str(out),
               "--hr-data", str(hr_without_education), "--param", param])  # fmt: skip
    err = capsys.readouterr().err
    name, value = param.split("=")
    missing = value.strip("[]").split(", ")[-1]
    assert rc == 2 and "Traceback" not in err
    assert f"--param {name}: {missing} finnes ikke i hr.csv" in err
    assert "kolonnene der er person_id, year, gender" in err
    assert not out.exists()


def test_covariates_are_checked_against_the_synthetic_data_without_a_file():
    with pytest.raises(ParameterError, match="education_level finnes ikke i de syntetiske"):
        plan(
            years=[2025], notebooks=["lonnsgap"], params={"oaxaca_covariates": ["education_level"]}
        )


def test_derived_covariates_count_as_their_source_column(hr_without_education):
    # age2 (lønnsgap) and age_band (sykefravær) are made from age, which the file has
    jobs = plan(
        years=[2025],
        notebooks=["lonnsgap", "sykefravaer"],
        hr_data=str(hr_without_education),
        params={
            "oaxaca_covariates": ["age2", "tenure_years"],
            "sick_leave_covariates": ["age_band"],
        },
    )
    assert [j.parameters.get("oaxaca_covariates") for j in jobs] == [["age2", "tenure_years"], None]


# --------------------------------------------------------------------------- words


def test_covariate_words_reproduce_the_standard_texts():
    """The words the texts are built from give the sentences the reports had when the
    covariates were written by hand."""
    std = ("job_group", "age", "age2", "tenure_years", "temporary")
    assert covariate_phrase(std) == "stillingsgruppe, alder, ansiennitet og andel midlertidige"
    assert heading_phrase(std) == "alder, ansiennitet og stilling"
    assert covariate_phrase(("job_group", "age_band")) == "stillingsgruppe og aldersgruppe"
    assert plural_phrase(("job_group", "age_band")) == "stillingsgrupper og aldersgrupper"
    assert heading_phrase(("age", "tenure_years")) == "alder og ansiennitet"
    assert covariate_phrase(("age", "tenure_years")) == "alder og ansiennitet"
    assert heading_phrase(("temporary",)) == "andel midlertidige"


# --------------------------------------------------------------------------- builds follow


@pytest.mark.slow
def test_funnel_parameters_reach_the_funnel_texts_and_key_figures():
    from analysis.jobbsjansen import report as J
    from analysis.jobbsjansen import texts as JT
    from analysis.jobbsjansen.measures import project_funnel
    from analysis.methods.funnel import funnel_proportions

    r = J.build(2024, funnel_method="funnelplotr", funnel_target=0.6)
    assert r.funnel.method == "funnelplotr" and r.funnel.target == pytest.approx(0.6)
    assert r.json_key_figures["synthetic_illustration"]["funnel"]["method"] == "funnelplotr"
    # the same funnel computed directly from the register's counts per project
    proj = J.jj.transition_rates(r.person.frame, 2024, by="project_id")
    proj = proj.loc[proj["n_completed"] > 0]
    direct = funnel_proportions(
        proj["n_transition"], proj["n_completed"], proj["project_id"], target=0.6,
        method="funnelplotr",
    )  # fmt: skip
    assert direct.tau2 == pytest.approx(r.funnel.tau2)
    assert direct.tau2 == pytest.approx(
        project_funnel(r.person.frame, 2024, method="funnelplotr", target=0.6).tau2
    )
    assert "Den vannrette linjen er en fast\nandel på 60,0\u00a0%." in JT.funnel_intro(r)
    assert "Midtlinjen er en fast andel på 60,0\u00a0%." in JT.funnel_text(r)
    assert "R-pakken FunnelPlotR: overspredningen" in JT.funnel_method_description(r.funnel_method)


@pytest.mark.slow
def test_sick_leave_covariates_reach_the_model_and_the_texts():
    from analysis.sickleave import report as SF
    from analysis.sickleave.models import adjusted_rate_ratio

    r = SF.build(2025, sick_leave_covariates=["job_group", "age"])
    assert r.adjusted.covariates == ("job_group", "age")
    direct = adjusted_rate_ratio(
        SF.S.add_age_band(r.person.frame), kind="legemeldt", covariates=["job_group", "age"]
    )
    assert r.adjusted.estimate == pytest.approx(direct.estimate)
    adj = r.key_figures["synthetic_illustration"]["adjusted_rate_ratio"]
    assert adj["covariates"] == ["job_group", "age"]
    assert SF.adjusted_intro(r).startswith("## Kvinner og menn i samme stillingsgruppe og alder\n")
    assert SF.adjusted_label(r) == "Justert for stillingsgruppe og alder"
    assert SF.method_covariates(r) == "kjønn, stillingsgruppe og alder"
    text = SF.adjusted_text(r) + " ".join(SF.hovedfunn_points(r))
    assert "aldersgruppe" not in text


@pytest.mark.parametrize("compare_year", [2025, 2030])
def test_compare_year_must_lie_before_the_report_year(compare_year):
    with pytest.raises(ParameterError, match=f"før rapportåret 2025, ikke {compare_year}"):
        plan(years=[2025], notebooks=["lonnsgap"], params={"compare_year": compare_year})
    (job,) = plan(years=[2025], notebooks=["lonnsgap"], params={"compare_year": 2023})
    assert job.parameters["compare_year"] == 2023


def test_compare_year_is_checked_in_the_notebook_too():
    # a value typed into the parameters cell in JupyterLab gets the same message
    from analysis.paygap.report import build

    with pytest.raises(ValueError, match="før rapportåret 2025, ikke 2025"):
        build(2025, compare_year=2025)
