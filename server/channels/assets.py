"""The widget's files, read once from `web/` and served by the channel itself.

Serving them from the assistant's own origin is what lets a locked-down intranet page
allow exactly one extra host in its Content-Security-Policy, and nothing else.
"""
from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Dict, Optional

from codecare import settings

WEB_DIR = Path(__file__).resolve().parents[2] / "web"
STRINGS_MARK = "/*@strings*/null"
MAX_CHARS_MARK = re.compile(r"/\*@maxChars\*/\d+")


def strict_csp(assistant: Optional[str] = None) -> str:
    """The strict policy the widget works under: nothing inline, nothing from elsewhere,
    Trusted Types (so no HTML is ever written from strings). A host page adds the
    assistant's origin to the three directives the widget needs; the demo, served by
    the assistant itself, needs only 'self'."""
    sources = "'self'" + (f" {assistant}" if assistant else "")
    return (f"default-src 'none'; script-src {sources}; style-src {sources}; img-src 'self'; "
            f"connect-src {sources}; base-uri 'none'; form-action 'none'; frame-ancestors 'none'; "
            "require-trusted-types-for 'script'; trusted-types 'none'")


DEMO_CSP = strict_csp()
TYPES = {".js": "text/javascript; charset=utf-8", ".css": "text/css; charset=utf-8",
         ".html": "text/html; charset=utf-8", ".svg": "image/svg+xml"}


@dataclass(frozen=True)
class Asset:
    body: bytes
    content_type: str
    etag: str


def _asset(name: str, body: bytes) -> Asset:
    suffix = Path(name).suffix
    return Asset(body, TYPES[suffix], '"' + hashlib.sha256(body).hexdigest()[:32] + '"')


def widget_source(web_dir: Path = WEB_DIR) -> str:
    """widget.js with the strings table of web/strings.json in place, so one request
    brings the code and every translation (a hospital edits only the JSON), and the
    input's length limit set to the server's (codecare.settings.max_message_chars())."""
    source = (web_dir / "widget.js").read_text(encoding="utf-8")
    strings = json.loads((web_dir / "strings.json").read_text(encoding="utf-8"))
    if source.count(STRINGS_MARK) != 1:
        raise ValueError(f"web/widget.js must contain {STRINGS_MARK} exactly once")
    if len(MAX_CHARS_MARK.findall(source)) != 1:
        raise ValueError("web/widget.js must contain /*@maxChars*/<number> exactly once")
    source = MAX_CHARS_MARK.sub(str(settings.max_message_chars()), source)
    return source.replace(STRINGS_MARK, json.dumps(strings, ensure_ascii=False))


def load_assets(web_dir: Path = WEB_DIR) -> Dict[str, Asset]:
    """URL path under the channel → file; the demo's files live under `demo/`."""
    assets = {
        "widget.js": _asset("widget.js", widget_source(web_dir).encode()),
        "widget.css": _asset("widget.css", (web_dir / "widget.css").read_bytes()),
    }
    for path in sorted((web_dir / "demo").iterdir()):
        if path.suffix in TYPES:
            name = "demo/" if path.name == "index.html" else f"demo/{path.name}"
            assets[name] = _asset(path.name, path.read_bytes())
    return assets
