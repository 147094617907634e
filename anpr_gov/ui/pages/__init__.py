"""One small module per page. Importing a module registers its page."""
