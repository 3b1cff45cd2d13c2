"""Oscar's customer app, forked: sign-in throttling, registration and
password reset that do not reveal accounts, and POST-only sign-out."""
