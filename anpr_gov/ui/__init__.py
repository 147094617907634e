"""The thin Reflex layer: states call services, pages render state. No rule lives here."""
