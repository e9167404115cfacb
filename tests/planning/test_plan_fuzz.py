"""Generated requests against the strategy endpoints with a real brand: never a 500."""

from __future__ import annotations

import pytest

from tests.api.fuzzing import fuzz_settings
from tests.api.fuzzing import schema as api_schema

schema = api_schema.include(path_regex=r"^/api/strategy/")


@pytest.mark.django_db
@pytest.mark.usefixtures("keep_test_connection", "brand")
@schema.parametrize()
@fuzz_settings(max_examples=25)
def test_strategy_endpoints_keep_their_contract_for_an_existing_brand(case):
    # Point valid brand references at the real brand; invalid ones stay as generated,
    # so a request meant to be rejected still is.
    if isinstance(case.body, dict) and valid_ref(case.body.get("brand")):
        case.body["brand"] = "northwind-coffee"
    if case.path_parameters and valid_ref(case.path_parameters.get("brand")):
        case.path_parameters["brand"] = "northwind-coffee"
    case.call_and_validate()


def valid_ref(value: object) -> bool:
    return (
        isinstance(value, str)
        and 0 < len(value) <= 80
        and "\x00" not in value
        and bool(value.strip())
    )
