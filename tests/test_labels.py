"""One group-label lookup (analysis.render.labels.GroupLabels) and the three domains'
vocabularies: the labels asserted are the bokmål words of the published tables and reports."""

from __future__ import annotations

from analysis.jobbsjansen.labels import group_label as jj_label
from analysis.paygap.labels import group_label as pay_label
from analysis.render.labels import GroupLabels
from analysis.sickleave.labels import group_label as sick_label


def test_lookup_rules():
    labels = GroupLabels(
        {"colour": {"r": "Rød", "b": "Blå"}, "size": {"s": "Liten", "r": "Rund"}},
        total_code="alle",
        totals={"colour": "Alle farger"},
    )
    assert labels("colour", "r") == "Rød"
    assert labels("size", "r") == "Rund"  # the dimension decides
    assert labels(None, "r") == "Rød"  # no dimension: the first list that knows the code
    assert labels("colour", "x") == "x"  # unknown codes are shown as they are
    assert labels("project_id", "r") == "r"  # a dimension without labels never borrows one
    assert labels("colour", 7) == "7"
    assert labels("colour", "alle") == "Alle farger"
    assert labels("size", "alle") == "Alle" and labels(None, "alle") == "Alle"


def test_domain_vocabularies():
    assert pay_label("konsulent") == "Konsulenter/sekretærer"
    assert pay_label("totalt") == "Totalt"
    assert sick_label("job_group", "alle") == "Alle stillingsgrupper"
    assert sick_label("age_band", "alle") == "Alle aldre"
    assert sick_label("gender", "K") == "Kvinner"
    assert sick_label("job_group", "laerling") == "Lærlinger"
    assert jj_label("target_group", "hjemmevaerende") == "Hjemmeværende"
    assert jj_label("age_band", "<25") == "Under 25 år"
    assert jj_label("gender", "alle") == "Alle"
    assert jj_label(None, "M") == "Menn"
    assert jj_label("project_id", "K") == "K"  # a project called «K» is not a gender
