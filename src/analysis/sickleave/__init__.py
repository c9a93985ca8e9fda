"""Sick leave by gender: SSB-definition rates and comparisons (measures), figures (plots) and
the report build for the sick-leave notebook (report)."""
