"""The effective spec and the override file into the IR, one builder per concern.

``SchemaBuilder`` (models, enums, unions), ``OperationBuilder`` (operations, parameters,
bodies) and ``CallbackBuilder`` (webhooks and the SVAML tables) share one ``Context``,
which collects every problem with its JSON pointer; one error then lists them all. No IR
is returned with pieces missing.
"""

from __future__ import annotations

from .. import __version__, ir
from ..diagnostics import GenerationError
from ..overrides import Overrides
from .callbacks import CallbackBuilder
from .context import JSON, Context
from .operations import OperationBuilder, regions, servers_of
from .schemas import SchemaBuilder

__all__ = ["build_api"]


def build_api(spec: JSON, overrides: Overrides, spec_sha256: str) -> ir.Api:
    context = Context(spec, overrides)
    schemas = SchemaBuilder(context)
    schemas.build_all()
    operations = OperationBuilder(context, schemas)
    built_operations = operations.operations()
    callbacks = CallbackBuilder(context, schemas, operations)
    targets = callbacks.action_targets()
    webhooks = callbacks.webhooks(targets)
    positional = callbacks.builder_positional()
    checks = callbacks.svaml_checks()
    servers = servers_of(spec)
    security = operations.security_schemes()
    context.problems += context.usage.stale(schemas.wire_names)
    if context.problems:
        raise GenerationError(
            context.problems, "the spec has constructs the generator cannot model"
        )
    info = spec.get("info", {})
    return ir.Api(
        title=info.get("title", ""),
        version=str(info.get("version", "")),
        description=info.get("description", ""),
        spec_sha256=spec_sha256,
        overrides_sha256=overrides.sha256,
        generator_version=__version__,
        models=tuple(sorted(schemas.models.values(), key=lambda m: m.name)),
        enums=tuple(sorted(schemas.enums.values(), key=lambda e: e.name)),
        unions=tuple(sorted(schemas.unions.values(), key=lambda u: u.name)),
        operations=built_operations,
        webhooks=webhooks,
        servers=servers,
        regions=regions(servers),
        security_schemes=security,
        action_targets=targets,
        svaml_model=callbacks.svaml.name if isinstance(callbacks.svaml, ir.ModelRef) else None,
        action_union=callbacks.actions.name if callbacks.actions else None,
        instruction_union=callbacks.instructions.name if callbacks.instructions else None,
        positional=positional,
        svaml_checks=checks if callbacks.svaml is not None else None,
    )
