"""Stand-in for `typeguard` (the real jsii runtime's type checker): check_type(value, type)."""

from jsii._type_checking import check_type as _check_type


def check_type(value, expected_type, **_options):
    _check_type("value", value, expected_type)
    return value
