"""Admin hooks of the shared resource library."""
