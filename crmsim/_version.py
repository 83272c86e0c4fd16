"""The installed crmsim version (kept apart so modules inside the package never import its root)."""

__version__ = "0.1.0"
