"""Jobbsjansen: transition rates and follow-up (measures), figures (plots) and the report
build for the Jobbsjansen notebook (report)."""
