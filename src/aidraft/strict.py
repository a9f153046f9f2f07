"""The base of every typed boundary model: an unknown field is an error, never silently dropped.

One home for the rule, so a model states only its fields (and any extra settings, such as
``frozen``, which pydantic merges with this one).

The modules of models a small command loads leave out ``from __future__ import annotations``:
pydantic would compile each field's annotation string at every start (a model's own name, before
the class exists, is then written in quotes).
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")
