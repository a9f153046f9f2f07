"""--no-mask against a remote endpoint warns loudly; against a local server or offline it is quiet."""

from __future__ import annotations

import pytest
from pydantic import SecretStr

from aidraft.cli import common
from aidraft.privacy import NO_MASK_WARNING
from aidraft.settings import Settings


@pytest.mark.parametrize(
    ("overrides", "warned"),
    [
        ({"preset": "deepseek", "api_key": SecretStr("sk-test"), "mask_personal_data": False}, True),
        ({"preset": "deepseek", "api_key": SecretStr("sk-test")}, False),
        ({"base_url": "http://127.0.0.1:8000/v1", "model": "m", "mask_personal_data": False}, False),
        ({"mask_personal_data": False}, False),
    ],
)
def test_no_mask_warning(overrides: dict[str, object], warned: bool, capsys: pytest.CaptureFixture[str]) -> None:
    common.warn_if_unmasked(Settings.from_cli(**overrides))
    err = " ".join(capsys.readouterr().err.split())
    assert (NO_MASK_WARNING.split(":")[0] in err) is warned
