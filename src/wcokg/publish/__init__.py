"""Publish: serialize the graphs, describe them, switch generations atomically, release, diff, load."""
