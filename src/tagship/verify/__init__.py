"""`tagship verify`: install a published release safely, and smoke-test it."""
