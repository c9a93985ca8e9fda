"""The pay gap: gap measures, cells and EU indicators (measures), the grouped decompositions
(nopo), Oaxaca-Blinder on person-level data (models), the report build (report) and what the
notebook shows it with: tables (tables), figures (plots), sentences and labels (texts) and
the key figures (keyfigures). Suppression is in :mod:`analysis.disclosure.hr`."""
