"""Code & Care's own glue: every setting (`settings`) and the one launcher (`launch`).

    python -m codecare run      both servers, then where to chat (make run)
    python -m codecare shell    the action server, then `rasa shell` (make shell)
    python -m codecare train    `rasa train`, its steps shown, its output in var/log/ (make train)
"""
