"""Test support: free ports and process helpers (`processes`), Rasa's CLI from the venv
(`rasa_cli`). The servers themselves are started by the one launcher, codecare/launch.py."""
