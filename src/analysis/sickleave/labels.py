"""Bokmål labels of the sick-leave report's groups: job groups, age bands, genders and the
total rows («Alle stillingsgrupper», «Alle aldre»)."""

from __future__ import annotations

from analysis.data.codes import EMPLOYEE_AGE_BAND_LABELS, GENDER_LABELS, JOB_GROUP_LABELS, TOTAL
from analysis.render.labels import GroupLabels

#: ``group_label(column, code)``
group_label = GroupLabels(
    {"job_group": JOB_GROUP_LABELS, "age_band": EMPLOYEE_AGE_BAND_LABELS, "gender": GENDER_LABELS},
    total_code=TOTAL,
    totals={"job_group": "Alle stillingsgrupper", "age_band": "Alle aldre"},
)
