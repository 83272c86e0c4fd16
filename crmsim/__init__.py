"""crmsim: a teaching and simulation kit for customer relationship management."""

__version__ = "0.1.0"
