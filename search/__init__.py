"""Unified search of the cluster: one index, two backends, Chinese that works (docs/search.md)."""
