"""One module per command; each exposes a function named after it, returning an exit code."""
