"""Dialogs: add trial, preferences."""
