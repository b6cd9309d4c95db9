"""Rasa input channels of Code & Care; independent of the knowledge package.

`server.channels.codecare.CodeCareInput` serves the web widget in `web/` and answers it over
JSON HTTP, with the answer's source and buttons, and optional JWT sign-on.
"""
