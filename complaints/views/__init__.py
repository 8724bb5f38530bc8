"""Views of the complaints app, one module per audience."""
