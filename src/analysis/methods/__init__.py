"""Data-agnostic estimators shared by the domains: intervals and weighted means (stats),
Oaxaca-Blinder decomposition (oaxaca) and funnel plots (funnel)."""
