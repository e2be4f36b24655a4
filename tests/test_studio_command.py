"""`hq-spec studio`: loopback by default, its address printed, a warning when told otherwise."""

from __future__ import annotations

import socket
from pathlib import Path
from typing import Any

import pytest
from starlette.testclient import TestClient

from hq_spec.cli import main, parser
from hq_spec.studio import serve
from tests.spec_run import ROOT


def test_a_missing_features_folder_is_a_plain_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--root", str(ROOT), "--features", str(tmp_path / "nope"), "studio"]) == 2
    assert "is not a folder of features" in capsys.readouterr().err


def test_the_studio_listens_on_loopback_unless_told_otherwise() -> None:
    args = parser().parse_args(["studio"])
    assert (args.host, args.port) == ("127.0.0.1", 8765)
    assert serve.is_loopback("127.0.0.1")
    assert serve.is_loopback("::1")
    assert serve.is_loopback("localhost")
    assert not serve.is_loopback("0.0.0.0")  # noqa: S104 - the address being judged
    assert not serve.is_loopback("192.168.1.20")


@pytest.mark.parametrize(("host", "warned"), [("127.0.0.1", False), ("192.168.1.20", True)])
def test_the_address_is_printed_and_other_machines_are_warned_about(
    host: str, warned: bool, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    served: dict[str, Any] = {}
    monkeypatch.setattr(serve.uvicorn, "run", lambda app, **options: served.update(options))
    monkeypatch.setattr(serve, "free_port", lambda host, port: port)  # not this machine's address
    assert serve.serve(ROOT, ROOT / "features", host=host, port=8799) == 0
    out, err = capsys.readouterr()
    assert f"open http://{host}:8799/ in your browser" in out
    assert (served["host"], served["port"]) == (host, 8799)
    assert ("other machines can reach" in err) is warned


def test_port_zero_picks_a_free_loopback_port(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    served: dict[str, Any] = {}
    monkeypatch.setattr(serve.uvicorn, "run", lambda app, **options: served.update(options))
    serve.serve(ROOT, ROOT / "features", host="127.0.0.1", port=0)
    assert served["port"] > 0
    assert f"http://127.0.0.1:{served['port']}/" in capsys.readouterr().out


def test_a_port_in_use_is_a_plain_error_before_any_address_is_printed(
    capsys: pytest.CaptureFixture[str],
) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        assert serve.serve(ROOT, ROOT / "features", host="127.0.0.1", port=port) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert f"port {port} is in use" in err


def test_on_every_interface_it_answers_at_this_machines_name_and_the_names_allowed(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    served: dict[str, Any] = {}
    monkeypatch.setattr(serve.uvicorn, "run", lambda app, **options: served.update(app=app))
    monkeypatch.setattr(serve, "free_port", lambda host, port: port)
    monkeypatch.setattr(socket, "gethostname", lambda: "hq-laptop")
    monkeypatch.setattr(socket, "getfqdn", lambda: "hq-laptop.agency.example")
    everywhere = "0.0.0.0"  # noqa: S104 - what an author passes to share the studio
    args = ["--root", str(ROOT), "--features", str(ROOT / "features"), "studio",
            "--host", everywhere, "--port", "8799",
            "--allow-host", "studio.agency.example"]  # fmt: skip
    assert main(args) == 0
    out = capsys.readouterr().out
    assert "open http://hq-laptop.agency.example:8799/ in your browser" in out
    assert "studio.agency.example" in out

    def answered(host: str) -> int:
        client = TestClient(served["app"], base_url=f"http://{host}")
        status: int = client.get("/", headers={"host": host}).status_code
        return status

    for name in ("hq-laptop", "hq-laptop.agency.example", "studio.agency.example", "localhost"):
        assert answered(f"{name}:8799") == 200, name
    assert answered("HQ-Laptop:8799") == 200  # host names are not case-sensitive
    assert answered("evil.example:8799") == 403  # a DNS-rebinding page names itself
    assert answered("0.0.0.0:8799") == 403  # nobody browses to the wildcard
    assert answered("hq-laptop:8800") == 403


def test_the_features_folder_comes_from_the_configuration_unless_named(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    served: dict[str, Any] = {}
    monkeypatch.setattr(serve, "serve", lambda root, features, **options: served.update(
        root=root, features=features) or 0)  # fmt: skip
    assert main(["--root", str(ROOT), "studio"]) == 0  # as `make studio` runs it
    assert (served["root"], served["features"]) == (ROOT, ROOT / "features")
