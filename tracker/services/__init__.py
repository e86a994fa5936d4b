"""Use cases that combine the store and the registry client: library, sync, export, import."""
