"""The rules `tagship doctor` runs, on the engine shared with `check` (rules.py)."""
