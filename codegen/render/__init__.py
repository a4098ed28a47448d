"""IR -> Python source fragments for the templates, one module per output.

Templates arrange files; the fragments that depend on a type (annotations, the code that
converts one property, a method's signature) are built in these modules, where they can be
read and tested as plain Python. Each output module gives its template filters and
context with ``filters(api)`` and ``context(api)``. Nothing here looks at the spec: only
at the IR.
"""

from __future__ import annotations

from . import client, models, svaml, webhooks, wire

OUTPUTS = (models, client, webhooks, svaml, wire)

__all__ = ["OUTPUTS", "client", "models", "svaml", "webhooks", "wire"]
