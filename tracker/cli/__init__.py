"""The command-line interface: `tracker list|show|note|tag|sync|add|...`."""
