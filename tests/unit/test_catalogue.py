"""The platform catalogue against the code it names: every row's adapter and clients exist and
agree with it, its settings are real settings, the fakes know it, and what each client can do
beyond replying and publishing is what its Protocols say."""

from __future__ import annotations

import json
import subprocess
import sys
from importlib import import_module
from pathlib import Path

import pytest

from chalicelib.platforms import catalogue, registry
from chalicelib.platforms.outbound import CountsFollowers, FindsPosts, ReportsPostMetrics
from chalicelib.settings import Settings
from local.platform_replies import platform_of
from tests.fakes import TOKENS

ROOT = Path(__file__).resolve().parents[2]
CATALOGUE = "chalicelib.platforms.catalogue"
SETTING_ALIASES = {field.alias for field in Settings.model_fields.values()}


def _load(target: str) -> type:
    module, name = catalogue.split(target)
    return vars(import_module(module))[name]


@pytest.mark.parametrize("row", catalogue.ROWS, ids=lambda row: row.name)
def test_each_rows_adapter_is_registered_under_its_name(row):
    adapter = registry.get(row.name)

    assert isinstance(adapter, _load(row.adapter))
    assert adapter.name == row.name
    module = import_module(catalogue.split(row.adapter)[0])
    assert row.signing_env == module.SECRET_ENV


@pytest.mark.parametrize(
    "network", [n for row in catalogue.ROWS for n in row.networks], ids=lambda n: n.name
)
def test_each_networks_client_serves_that_network(network):
    client = _load(network.client)("token")

    assert client.platform == network.name
    assert network.token_secret in TOKENS, "tests/fakes: give the network a test token"


@pytest.mark.parametrize("row", catalogue.with_api(), ids=lambda row: row.name)
def test_each_api_base_and_dev_setting_is_a_real_setting(row):
    assert row.base_url_env in SETTING_ALIASES
    for name in row.dev_settings:
        assert name in SETTING_ALIASES or name in {n.token_secret for n in row.networks}


def test_the_fake_server_tells_every_platform_with_an_api_apart():
    paths = {
        "telegram": "/bot1:t/sendMessage",
        "meta": "/v23.0/me/messages",
        "x": "/2/tweets",
        "linkedin": "/rest/posts",
    }
    assert sorted(paths) == sorted(row.name for row in catalogue.with_api())
    for name, path in paths.items():
        assert platform_of(path)[0] == name


CAPABILITIES = {
    "telegram": {CountsFollowers},
    "x": {CountsFollowers, ReportsPostMetrics},
    "instagram": {CountsFollowers, ReportsPostMetrics},
    "facebook": {CountsFollowers, ReportsPostMetrics, FindsPosts},
    "linkedin": {CountsFollowers, ReportsPostMetrics},
}


@pytest.mark.parametrize("name", catalogue.network_names())
def test_what_each_client_can_do_beyond_replies_and_posts(name):
    client = _load(catalogue.NETWORKS[name].client)("token")
    offered = {
        capability
        for capability in (CountsFollowers, ReportsPostMetrics, FindsPosts)
        if isinstance(client, capability)
    }
    assert offered == CAPABILITIES[name]


def test_names_are_unique_and_reading_the_catalogue_imports_no_platform():
    assert len(catalogue.names()) == len(catalogue.ROWS)
    assert len(catalogue.network_names()) == sum(len(row.networks) for row in catalogue.ROWS)
    code = (
        "import json, sys; import chalicelib.platforms.catalogue; "
        "print(json.dumps(sorted(m for m in sys.modules if m.startswith('chalicelib'))))"
    )
    loaded = subprocess.run(  # noqa: S603 (our own interpreter and a constant script)
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout
    assert json.loads(loaded) == ["chalicelib", "chalicelib.platforms", CATALOGUE]
