"""The private chat: registration, the check question by question, filing, and the typed
replies someone is waiting for (`chat` routes, `check` holds the draft and its one live
question, `pending` the awaited replies, `rights` /mydata and /forget, `lead` an agency lead's
answers on their agency's actions, `briefs` /briefs on|off and `Read it` on a learning
brief). Their handlers are registered, in order, by `bot.routes`."""
