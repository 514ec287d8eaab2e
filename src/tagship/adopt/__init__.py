"""Round-trip edits that adopt tagship into a project (used by `tagship init`)."""
