"""`hq-spec studio`: loopback by default, its address printed, a warning when told otherwise."""

from __future__ import annotations

import socket
from pathlib import Path
from typing import Any

import pytest

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
