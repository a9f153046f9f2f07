"""How the web server is run: address, access token, limits and where jobs keep their files.

The CLI builds this from its flags; the app never reads the environment, so tests construct
exactly the server they want (a token, tiny limits, a temporary work folder).
"""

from __future__ import annotations

import ipaddress
import secrets
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

LOOPBACK_NAMES = frozenset({"localhost", "127.0.0.1", "::1"})
TOKEN_HEADER = "X-Aidraft-Token"
TOKEN_COOKIE = "aidraft_token"
TOKEN_QUERY = "token"
MB = 1024 * 1024


def is_loopback(host: str) -> bool:
    """True for 127.0.0.0/8, ::1 and 'localhost': only this computer can connect."""
    host = host.strip("[]")
    if host in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def new_token() -> str:
    """A random access token: long enough that guessing it over the network is hopeless."""
    return secrets.token_urlsafe(24)


class WebConfig(BaseModel):
    """Everything the web app needs besides Settings (the model backend)."""

    model_config = ConfigDict(extra="forbid")

    host: str = "127.0.0.1"
    port: int = Field(default=8000, ge=0, le=65535)
    token: str | None = Field(default=None, min_length=16, pattern=r"^[A-Za-z0-9._~-]+$",
                              description="required on every request when set; mandatory off loopback")
    max_file_bytes: int = Field(default=20 * MB, ge=1, description="one uploaded file")
    max_request_bytes: int = Field(default=200 * MB, ge=1, description="one whole upload request")
    max_files: int = Field(default=500, ge=1, description="files in one digest upload, zip members included")
    max_unzipped_bytes: int = Field(default=200 * MB, ge=1, description="all members of the zips of one upload")
    max_jobs: int = Field(default=50, ge=1, description="finished jobs kept; the oldest are removed first")
    job_ttl_s: float = Field(default=4 * 3600, gt=0, description="a job's files are deleted after this")
    workers: int = Field(default=2, ge=1, le=16, description="drafts and digests run at once")
    work_dir: Path | None = Field(default=None, description="parent of the per-job folders; system temp if None")
    allowed_hosts: list[str] | None = Field(
        default=None, description="Host header values accepted; None: loopback names when bound to loopback")

    @property
    def loopback(self) -> bool:
        return is_loopback(self.host)

    @property
    def hosts(self) -> frozenset[str] | None:
        """Accepted Host names (port stripped), or None for any: blocks DNS rebinding on loopback."""
        if self.allowed_hosts is not None:
            return frozenset(h.lower() for h in self.allowed_hosts)
        return LOOPBACK_NAMES if self.loopback else None

    def url(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}/"
