"""``aidraft serve [--host 127.0.0.1] [--port 8000]``: the local web page for people who work in Word.

On 127.0.0.1 only this computer can connect, so no token is needed (one may still be given).
Any other address exposes the page to the network: then an access token is required, generated
here when not given, and printed with the URL that signs the browser in.
"""

from __future__ import annotations

from pathlib import Path

import typer
from pydantic import ValidationError

from aidraft.cli.common import console, warn_if_cache_off
from aidraft.cli.endpoint import EndpointOptions, endpoint_options
from aidraft.errors import ConfigError
from aidraft.messages import msg, text
from aidraft.yamldata import field_error


@endpoint_options(concurrency_help="Sections or reports one job sends to the model at once")
def serve(
    host: str = typer.Option("127.0.0.1", "--host", help="Address to bind; anything but loopback needs a token."),
    port: int = typer.Option(8000, "--port", help="Port to listen on."),
    token: str | None = typer.Option(None, "--token", help="Access token (16+ characters); generated off loopback."),
    work_dir: Path | None = typer.Option(None, "--work-dir", help="Where jobs keep their temporary folders."),
    max_upload_mb: int = typer.Option(20, "--max-upload-mb", min=1, help="Largest single uploaded file, in MB."),
    *,
    endpoint: EndpointOptions,
) -> None:
    """Start the local web page: draft, check and digest reports in the browser."""
    import uvicorn

    from aidraft.web.app import create_app
    from aidraft.web.config import MB, WebConfig, new_token

    settings = endpoint.settings()  # the page offers this endpoint beside offline
    warn_if_cache_off(settings)
    try:
        config = WebConfig(host=host, port=port, token=token, work_dir=work_dir, max_file_bytes=max_upload_mb * MB)
    except ValidationError as exc:
        raise ConfigError(msg("cli.serve.options", error=field_error(exc).replace("_", "-"))) from None
    if not config.loopback and config.token is None:
        config = config.model_copy(update={"token": new_token()})
    app = create_app(settings, config)
    url = config.url()
    if host in ("0.0.0.0", "::"):  # every interface: show a name other computers can use
        import socket

        url = config.model_copy(update={"host": socket.gethostname()}).url()
    if config.token:
        console.print(text("cli.serve.sign_in", url=url), markup=False)
        console.print(f"  {url}?token={config.token}", markup=False)
        console.print("  " + text("cli.serve.header", token=config.token), markup=False)
    else:
        console.print(text("cli.serve.local", url=url), markup=False)
    uvicorn.run(app, host=host, port=port, log_level="warning", server_header=False, proxy_headers=False)


def register(app: typer.Typer) -> None:
    app.command("serve")(serve)
