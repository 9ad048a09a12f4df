"""Getting messages out: the outbox sender, what each notice says, safe sends and edits,
inline keyboards and their callback data, and the reminder jobs over working days."""
