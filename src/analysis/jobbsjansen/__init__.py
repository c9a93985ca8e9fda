"""Jobbsjansen: transition rates, follow-up and cost (measures), the risk-adjusted comparison
of projects (models), the report build (report) and what the notebook shows it with: tables
(tables), figures (plots), sentences and labels (texts) and the key figures (keyfigures).
Suppression is in :mod:`analysis.disclosure.register`."""
