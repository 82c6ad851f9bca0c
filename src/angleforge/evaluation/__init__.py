"""Evaluation suites: labelled cases, scorers and reports."""
