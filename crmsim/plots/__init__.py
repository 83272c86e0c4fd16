"""Plotting functions: each takes its table and an optional ``ax`` and returns the Axes."""
