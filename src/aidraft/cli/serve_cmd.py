"""``aidraft serve [--host 127.0.0.1] [--port 8000]``: the local web page for people who work in Word.

On 127.0.0.1 only this computer can connect, so no token is needed (one may still be given).
Any other address exposes the page to the network: then an access token is required, generated
here when not given, and printed with the URL that signs the browser in.
"""

from __future__ import annotations

from pathlib import Path

import typer
from pydantic import SecretStr, ValidationError

from aidraft.cli.common import concurrency_option, console, timeout_option
from aidraft.errors import ConfigError
from aidraft.settings import Settings


def serve(
    host: str = typer.Option("127.0.0.1", "--host", help="Address to bind; anything but loopback needs a token."),
    port: int = typer.Option(8000, "--port", help="Port to listen on."),
    token: str | None = typer.Option(None, "--token", help="Access token (16+ characters); generated off loopback."),
    work_dir: Path | None = typer.Option(None, "--work-dir", help="Where jobs keep their temporary folders."),
    max_upload_mb: int = typer.Option(20, "--max-upload-mb", min=1, help="Largest single uploaded file, in MB."),
    backend: str | None = typer.Option(None, "--backend", help="offline (default) or openai: offered on the page."),
    preset: str | None = typer.Option(None, "--preset", help="Endpoint preset offered on the page (deepseek, qwen …)."),
    base_url: str | None = typer.Option(None, "--base-url", help="OpenAI-compatible endpoint URL."),
    model: str | None = typer.Option(None, "--model", help="Model name at the endpoint."),
    api_key: str | None = typer.Option(None, "--api-key", help="API key (prefer the environment variable)."),
    concurrency: int | None = concurrency_option("Sections (or reports) sent to the model"),
    timeout: float | None = timeout_option(),
) -> None:
    """Start the local web page: draft, check and digest reports in the browser."""
    import uvicorn

    from aidraft.web.app import create_app
    from aidraft.web.config import MB, WebConfig, new_token

    settings = Settings.from_cli(backend=backend, preset=preset, base_url=base_url, model=model,
                                 api_key=SecretStr(api_key) if api_key else None, concurrency=concurrency,
                                 timeout_s=timeout)
    try:
        config = WebConfig(host=host, port=port, token=token, work_dir=work_dir, max_file_bytes=max_upload_mb * MB)
    except ValidationError as exc:
        first = exc.errors()[0]
        raise ConfigError(f"--{first['loc'][0]}: {first['msg']}".replace("_", "-")) from None
    if not config.loopback and config.token is None:
        config = config.model_copy(update={"token": new_token()})
    app = create_app(settings, config)
    url = config.url()
    if host in ("0.0.0.0", "::"):  # every interface: show a name other computers can use
        import socket

        url = config.model_copy(update={"host": socket.gethostname()}).url()
    if config.token:
        console.print(f"[bold]aidraft[/] on {url} — open this address to sign in:")
        console.print(f"  {url}?token={config.token}", markup=False)
        console.print(f"  (scripts: send the header X-Aidraft-Token: {config.token})", markup=False)
    else:
        console.print(f"[bold]aidraft[/] on {url} (this computer only); Ctrl-C stops it")
    uvicorn.run(app, host=host, port=port, log_level="warning", server_header=False, proxy_headers=False)


def register(app: typer.Typer) -> None:
    app.command("serve")(serve)
