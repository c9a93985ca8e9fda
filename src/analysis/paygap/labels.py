"""Bokmål labels of the pay report's groups (job groups and the other rows of the pay table)."""

from __future__ import annotations

from functools import partial

from analysis.data.codes import JOB_GROUP_LABELS
from analysis.render.labels import GroupLabels

GROUP_LABELS = GroupLabels({"job_group": JOB_GROUP_LABELS})

#: ``group_label(code)``: the label of a job group or pay-table row
group_label = partial(GROUP_LABELS, "job_group")
