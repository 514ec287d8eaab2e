"""`tagship rehearse`: its clone, its index, its steps."""
