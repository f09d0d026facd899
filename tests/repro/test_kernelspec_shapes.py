"""The kernelspec's language in every shape a kernel spec manager returns."""

from __future__ import annotations

from types import SimpleNamespace

from jupyterlab_nbhygiene.repro import kernelspec_language


def test_local_kernelspec_object() -> None:
    assert kernelspec_language(SimpleNamespace(language="Python"), "python3") == "python"
    assert kernelspec_language(SimpleNamespace(language="bash"), "bash") == "bash"


def test_gateway_model_and_bare_spec() -> None:
    model = {"name": "bash", "spec": {"language": "bash", "argv": ["bash"]}, "resources": {}}
    assert kernelspec_language(model, "bash") == "bash"
    assert kernelspec_language({"language": "R"}, "ir") == "r"


def test_gateway_listing_for_one_name() -> None:
    listing = {"default": "python3", "kernelspecs": {"bash": {"spec": {"language": "bash"}}}}
    assert kernelspec_language(listing, "bash") == "bash"
    assert kernelspec_language(listing, "julia") is None
