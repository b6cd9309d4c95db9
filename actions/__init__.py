"""Rasa custom actions: thin adapters from tracker state to the knowledge module."""
