"""Loopback fake of an OpenAI Responses-API server, for acceptance tests of Codex configs.

usage: python3 fake_responses_server.py PORT LOGFILE [--port-file FILE] [--max-seconds N]

PORT 0 picks a free port; the port actually bound is written to --port-file (atomically,
after the socket listens), so a caller never races for a port. The server binds 127.0.0.1 only
and stops by itself after --max-seconds (default 900), so an orphaned server cannot linger.

Behaviour mirrors ../shared/conformance/codex/fake_responses_server.py (the server the recorded
verdicts in conformance/codex/cases/results.json were produced with), so those verdicts,
including retry counts, can be reproduced here:

  POST  <anything>/responses[?...]  -> 200, minimal Responses-API SSE stream: response.created,
                                       response.output_item.done (assistant message
                                       "hello from fake server"), response.completed (with usage)
  POST  path containing "/fail/"     -> 500 JSON error (used to count retries)
  POST  anything else                -> 500 JSON error
  GET   anything                     -> 200 {"object":"list","data":[]} (model-list probes;
                                        websocket upgrade attempts land here and fail, after
                                        which codex falls back to HTTP)
  PUT, DELETE, PATCH, OPTIONS        -> 404 JSON error
  CONNECT host:port                  -> 502 (shows which host codex tries via HTTPS_PROXY)

Every request is appended to LOGFILE as one JSON line, written before the answer is sent:
  {"method", "path" (with query string), "headers" (as received), "body" (whole text),
   "json" (parsed body or null), "body_keys", "body_scalars"}
"""
from __future__ import annotations

import argparse
import http.server
import json
import os
import threading

SSE_EVENTS = [
    {"type": "response.created", "response": {"id": "resp_1"}},
    {
        "type": "response.output_item.done",
        "item": {
            "type": "message",
            "role": "assistant",
            "id": "msg_1",
            "content": [{"type": "output_text", "text": "hello from fake server"}],
        },
    },
    {
        "type": "response.completed",
        "response": {
            "id": "resp_1",
            "usage": {
                "input_tokens": 1,
                "input_tokens_details": None,
                "output_tokens": 1,
                "output_tokens_details": None,
                "total_tokens": 2,
            },
        },
    },
]
SSE_BODY = "".join(
    "event: %s\ndata: %s\n\n" % (e["type"], json.dumps(e)) for e in SSE_EVENTS
).encode()
MAX_BODY = 16 * 1024 * 1024

_log_lock = threading.Lock()


def _parse(body: bytes):
    try:
        return json.loads(body)
    except Exception:
        return None


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    log_path = ""

    def _log(self) -> None:
        n = int(self.headers.get("content-length") or 0)
        body = self.rfile.read(min(n, MAX_BODY)) if n else b""
        parsed = _parse(body)
        record = {
            "method": self.command,
            "path": self.path,
            "headers": dict(self.headers),
            "body": body.decode("utf8", "replace"),
            "json": parsed,
            "body_keys": sorted(parsed) if isinstance(parsed, dict) else None,
            "body_scalars": (
                {k: v for k, v in parsed.items() if not isinstance(v, (list, str)) or k == "model"}
                if isinstance(parsed, dict)
                else None
            ),
        }
        line = json.dumps(record) + "\n"
        with _log_lock, open(self.log_path, "a", encoding="utf8") as f:
            f.write(line)

    def _send(self, code: int, body: bytes = b"", ctype: str = "application/json") -> None:
        self.send_response(code)
        if body:
            self.send_header("content-type", ctype)
        self.send_header("content-length", str(len(body)))
        self.end_headers()
        if body:
            self.wfile.write(body)

    def _error(self, code: int, message: str) -> None:
        self._send(code, json.dumps({"error": {"message": message, "code": code}}).encode())

    def do_GET(self) -> None:  # noqa: N802 (http.server naming)
        self._log()
        self._send(200, b'{"object":"list","data":[]}')

    def do_POST(self) -> None:  # noqa: N802
        self._log()
        if "/fail/" in self.path:
            return self._error(500, "forced failure")
        if self.path.split("?", 1)[0].endswith("/responses"):
            return self._send(200, SSE_BODY, "text/event-stream")
        self._error(500, "no such endpoint on the fake server: " + self.path)

    def do_CONNECT(self) -> None:  # noqa: N802
        self._log()
        self._send(502)

    def _not_found(self) -> None:
        self._log()
        self._error(404, "not found")

    do_PUT = do_DELETE = do_PATCH = do_OPTIONS = _not_found

    def log_message(self, *args) -> None:  # keep stderr quiet
        pass


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("port", type=int)
    ap.add_argument("logfile")
    ap.add_argument("--port-file")
    ap.add_argument("--max-seconds", type=float, default=900.0)
    a = ap.parse_args(argv)

    Handler.log_path = a.logfile
    open(a.logfile, "a").close()
    server = http.server.ThreadingHTTPServer(("127.0.0.1", a.port), Handler)
    server.daemon_threads = True
    if a.port_file:
        tmp = a.port_file + ".tmp"
        with open(tmp, "w") as f:
            f.write(str(server.server_address[1]))
        os.replace(tmp, a.port_file)
    if a.max_seconds > 0:
        timer = threading.Timer(a.max_seconds, server.shutdown)
        timer.daemon = True
        timer.start()
    try:
        server.serve_forever(poll_interval=0.2)
    finally:
        server.server_close()


if __name__ == "__main__":
    main()
