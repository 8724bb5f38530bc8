"""Admin for the complaints app, one module per concern."""
