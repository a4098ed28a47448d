"""Serve the test app with a server that has no command line of its own:
``python -m tests.webhooks.serve wsgiref|werkzeug PORT``."""

from __future__ import annotations

import sys


def main() -> None:
    kind, port = sys.argv[1], int(sys.argv[2])
    from .server_app import wsgi_app

    if kind == "wsgiref":
        from wsgiref.simple_server import WSGIRequestHandler, make_server

        class Quiet(WSGIRequestHandler):
            def log_message(self, format: str, *args: object) -> None:
                pass

        make_server("127.0.0.1", port, wsgi_app, handler_class=Quiet).serve_forever()
    else:
        from werkzeug.serving import run_simple

        run_simple("127.0.0.1", port, wsgi_app, threaded=True)


if __name__ == "__main__":
    main()
