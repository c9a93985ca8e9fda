"""``fou run``: execute the report notebooks per year with papermill and export them.

The modules, in the order a run uses them:

* :mod:`~analysis.pipeline.specs` — the report catalogue ``notebooks/reports.yaml``;
* :mod:`~analysis.pipeline.plan` — the jobs: which notebooks for which years, with which
  parameters;
* :mod:`~analysis.pipeline.cache` — the content hash of a job and the cache of built jobs;
* :mod:`~analysis.pipeline.run` — the batch: skip unchanged jobs, run the rest in worker
  processes, install, write the index;
* :mod:`~analysis.pipeline.execute` — one job: a warm kernel (:mod:`~analysis.pipeline.
  kernel`), papermill, staging, the failed copy;
* :mod:`~analysis.pipeline.sanitise` — the executed notebook as it may leave the machine;
* :mod:`~analysis.pipeline.export` — the two HTML files with nbconvert;
* :mod:`~analysis.pipeline.index` — ``index.html``;
* :mod:`~analysis.pipeline.out_folder` — ``--out``: checks, staging, installing, failed copies;
* :mod:`~analysis.pipeline.folder_lock` — one run at a time per output folder;
* :mod:`~analysis.pipeline.interrupt` — Ctrl-C and SIGTERM;
* :mod:`~analysis.pipeline.notebook_hygiene` — notebooks committed without outputs.
"""

import sys

# jsonschema imports rfc3987_syntax (when installed, as jupyterlab's dependencies do) only to
# check the "iri" string format, which the notebook schema never uses; building its grammar
# costs 1.5 s on every import of nbformat. Leave it out of every process that imports the
# pipeline.
sys.modules.setdefault("rfc3987_syntax", None)  # type: ignore[arg-type]
