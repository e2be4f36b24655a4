"""Cucumber Messages for HQ's specification runs: feature sources, pickles and step results."""
