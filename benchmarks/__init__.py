"""Benchmarks that print ratios against the alternatives; ``python -m benchmarks``."""
