"""Whatever a client sends, the API answers as its OpenAPI document says, never with a 500."""

from __future__ import annotations

import pytest

from tests.api.fuzzing import fuzz_settings, schema


@pytest.mark.django_db
@pytest.mark.usefixtures("keep_test_connection")
@schema.parametrize()
@fuzz_settings(max_examples=40)
def test_the_api_keeps_its_contract(case):
    case.call_and_validate()
