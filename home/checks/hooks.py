"""Admin hooks of the wording checks."""
