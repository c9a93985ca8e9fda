"""Data-agnostic estimators shared by the domains: intervals and weighted means (stats),
Oaxaca-Blinder decomposition (oaxaca) and funnel plots (funnel). Their results have
``table()`` (a tidy DataFrame) and ``_repr_html_`` (that table in JupyterLab)."""
