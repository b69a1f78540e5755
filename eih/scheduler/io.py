"""Strict reading and writing of eih-instance/1 and eih-plan/1 (work in progress)."""
from __future__ import annotations


class InputError(ValueError):
    """Malformed input; the message is one line naming the field and the object."""


def instance_from_dict(d):
    raise NotImplementedError


def instance_to_dict(inst):
    raise NotImplementedError


def read_instance(path_or_file):
    raise NotImplementedError


def plan_from_dict(d, instance=None):
    raise NotImplementedError


def plan_to_dict(plan):
    raise NotImplementedError


def read_plan(path):
    raise NotImplementedError


def dumps(obj):
    raise NotImplementedError
