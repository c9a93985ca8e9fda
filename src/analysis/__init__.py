"""fou-analyse: the analysis package of IMDi's research and development unit (FoU).

Pay gaps, sick leave by gender and Jobbsjansen transition rates, computed from the figures
IMDi has published and from person-level data, for reproducible yearly reports.
"""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("fou-analyse")
except PackageNotFoundError:  # pragma: no cover - running from a source tree
    __version__ = "0+unknown"
