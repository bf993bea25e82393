"""Reusable pieces of the finsight app: answer view, references, charts, sidebar, service access."""
