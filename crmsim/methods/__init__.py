"""Textbook CRM methods as pure functions over pandas DataFrames."""
