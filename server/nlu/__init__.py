"""Custom Rasa NLU components for Code & Care."""
