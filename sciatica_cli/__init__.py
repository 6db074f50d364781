"""sciatica: a guided self-massage companion for people with sciatica."""

__version__ = "0.1.0"

# SAFETY.md 1: shown on first run, in the --help epilogue and in the README.
DISCLAIMER = (
    "General self-care guidance only. It does not diagnose or treat any condition and does not "
    "replace a doctor or physiotherapist. If you have any warning sign, get medical help now."
)
