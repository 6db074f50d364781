"""Routine files: their format, loading, the library of routines and planning."""
