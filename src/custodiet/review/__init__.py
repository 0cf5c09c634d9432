"""Review: the queue, judgements (the only place a status changes), accounts, corrections."""
