"""A real nginx (Debian's package) on loopback in front of app servers, configured from the
installation's own template, deploy/nginx/motcua.conf, with a throw-away certificate.

Used by the two-server test (tests/deploy/test_two_servers.py) and the soak benchmark
(bench/bench_soak.py). nginx runs in the foreground as a child of the caller, with every file it
writes (pid, logs, temporary bodies) in a temporary folder; a context manager always stops it.
Each `Site` is one rendering of the template: its own HTTP and HTTPS ports and its own upstream.
"""

import datetime
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TEMPLATE = ROOT / "deploy" / "nginx" / "motcua.conf"
PLACEHOLDERS = (
    "@SERVER_NAME@",
    "@LISTEN_HTTP@",
    "@LISTEN_HTTPS@",
    "@UPSTREAM@",
    "@APP_SERVERS@",
    "@TLS_CERTIFICATE@",
    "@TLS_CERTIFICATE_KEY@",
    "@STATIC_ROOT@",
    "@CLIENT_MAX_BODY_SIZE@",
    "@READ_TIMEOUT@",
)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def nginx_binary() -> str | None:
    return shutil.which("nginx") or next(
        (p for p in ("/usr/sbin/nginx", "/usr/local/sbin/nginx") if os.access(p, os.X_OK)), None
    )


@dataclass
class Site:
    """One rendering of the template: nginx's HTTPS port `port`, to these app-server ports."""

    name: str
    app_ports: list[int]
    port: int = field(default_factory=free_port)
    http_port: int = field(default_factory=free_port)


def render(site: Site, *, certificate: Path, key: Path, static_root: Path, values: dict) -> str:
    """The template with every placeholder replaced (ValueError if one is left)."""
    servers = " ".join(f"server 127.0.0.1:{port};" for port in site.app_ports)
    replacements = {
        "@SERVER_NAME@": "127.0.0.1 localhost",
        "@LISTEN_HTTP@": f"127.0.0.1:{site.http_port}",
        "@LISTEN_HTTPS@": f"127.0.0.1:{site.port}",
        "@UPSTREAM@": f"motcua_{site.name}",
        "@APP_SERVERS@": servers,
        "@TLS_CERTIFICATE@": str(certificate),
        "@TLS_CERTIFICATE_KEY@": str(key),
        "@STATIC_ROOT@": str(static_root),
        "@CLIENT_MAX_BODY_SIZE@": "105m",
        "@READ_TIMEOUT@": "120s",
        **values,
    }
    text = TEMPLATE.read_text()
    for placeholder, value in replacements.items():
        text = text.replace(placeholder, value)
    left = [p for p in PLACEHOLDERS if p in text]
    if left:
        raise ValueError(f"placeholders left in {TEMPLATE}: {left}")
    return text


def self_signed(folder: Path) -> tuple[Path, Path]:
    """A certificate for 127.0.0.1 and localhost, valid for a day (ECDSA P-256)."""
    import ipaddress

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "motcua-test")])
    now = datetime.datetime.now(datetime.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName(
                [x509.DNSName("localhost"), x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]
            ),
            critical=False,
        )
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = folder / "cert.pem", folder / "key.pem"
    cert_path.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    key_path.chmod(0o600)
    return cert_path, key_path


MAIN = """
worker_processes 1;
daemon off;
pid {tmp}/nginx.pid;
error_log {tmp}/error.log warn;
events {{ worker_connections 1024; }}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    sendfile on;
    log_format timed '$remote_addr [$time_local] "$request" $status $request_time '
                     'upstream $upstream_addr $upstream_status $upstream_response_time';
    access_log {access_log};
    client_body_temp_path {tmp}/body;
    proxy_temp_path {tmp}/proxy;
    fastcgi_temp_path {tmp}/fastcgi;
    uwsgi_temp_path {tmp}/uwsgi;
    scgi_temp_path {tmp}/scgi;
{sites}
}}
"""


class Nginx:
    """nginx in the foreground with these sites; `with Nginx([...]) as proxy:` starts and stops it."""

    def __init__(self, sites: list[Site], *, values: dict | None = None, access_log: bool = False):
        self.sites = sites
        self.values = values or {}
        self.access_log = access_log
        self.process: subprocess.Popen | None = None
        self.folder: Path | None = None

    def __enter__(self) -> "Nginx":
        binary = nginx_binary()
        if binary is None:
            raise RuntimeError("nginx is not installed (Debian package nginx)")
        self.folder = Path(tempfile.mkdtemp(prefix="motcua-nginx-"))
        # nginx's workers run as `nobody` when started by root: they must reach these folders.
        self.folder.chmod(0o755)
        for name in ("body", "proxy", "fastcgi", "uwsgi", "scgi"):
            (self.folder / name).mkdir(mode=0o777)
            (self.folder / name).chmod(0o777)
        certificate, key = self_signed(self.folder)
        sites = "\n".join(
            render(
                site,
                certificate=certificate,
                key=key,
                static_root=ROOT / "static",
                values=self.values,
            )
            for site in self.sites
        )
        access_log = (
            f"{self.folder}/access.log timed"
            if self.access_log or os.environ.get("BENCH_NGINX_KEEP")
            else "off"
        )
        config = self.folder / "nginx.conf"
        config.write_text(MAIN.format(tmp=self.folder, sites=sites, access_log=access_log))
        self.process = subprocess.Popen(
            [
                binary,
                "-p",
                str(self.folder),
                "-c",
                str(config),
                "-e",
                str(self.folder / "error.log"),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            start_new_session=True,
        )
        try:
            self._wait_listening()
        except BaseException:
            self.__exit__()
            raise
        return self

    def __exit__(self, *exc) -> None:
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)  # nginx's fast shutdown
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        if self.folder and not os.environ.get("BENCH_NGINX_KEEP"):  # kept to read its logs
            shutil.rmtree(self.folder, ignore_errors=True)

    def error_log(self) -> str:
        path = self.folder / "error.log" if self.folder else None
        return path.read_text() if path and path.exists() else ""

    def _wait_listening(self) -> None:
        deadline = time.monotonic() + 20
        ports = [port for site in self.sites for port in (site.port, site.http_port)]
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                stderr = self.process.stderr.read().decode() if self.process.stderr else ""
                raise RuntimeError(f"nginx stopped: {stderr}{self.error_log()}")
            if all(_listening(port) for port in ports):
                return
            time.sleep(0.05)
        raise RuntimeError("nginx did not listen within 20 s")


def _listening(port: int) -> bool:
    with socket.socket() as probe:
        return probe.connect_ex(("127.0.0.1", port)) == 0
