"""Trial Tracker: follow the clinical trials behind blood-cancer treatment."""

__version__ = "0.1.0"
APP_NAME = "Trial Tracker"
