"""The service layer: the only code that writes. Every function takes the acting user, checks
permissions itself (never trust the page) and writes audit events in the same transaction."""
