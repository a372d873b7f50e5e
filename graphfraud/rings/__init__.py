"""rings layer."""
