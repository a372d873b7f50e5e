"""Bring up a real Neo4j Community server from Maven Central artifacts, bound to 127.0.0.1.

Maven resolves the ``org.neo4j:neo4j`` runtime dependencies (the server included) into the local
repository (``~/.m2``, the cache); we keep only the class path. The server runs as
``org.neo4j.server.CommunityEntryPoint`` in its own process group, with a generated
``neo4j.conf`` under ``<neo4j_home>/conf`` and a pid file under ``<neo4j_home>/run``.
Start and stop are idempotent.
"""

from __future__ import annotations

import logging
import os
import secrets
import shutil
import signal
import socket
import subprocess
import time
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from graphfraud.errors import Neo4jServerError
from graphfraud.privacy import redact_text
from graphfraud.settings import Settings

__all__ = ["Neo4jServer", "ServerStatus"]

log = logging.getLogger(__name__)

_ENTRY_POINT = "org.neo4j.server.CommunityEntryPoint"
_ADMIN_TOOL = "org.neo4j.cli.AdminTool"
_JVM_FLAGS = (
    "-XX:+UseG1GC",
    "-XX:-OmitStackTraceInFastThrow",
    "-XX:+DisableExplicitGC",
    "-Djdk.nio.maxCachedBufferSize=1024",
    "-Dio.netty.tryReflectionSetAccessible=true",
    "--add-opens=java.base/java.nio=ALL-UNNAMED",
    "--add-opens=java.base/java.lang=ALL-UNNAMED",
    "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
    "--add-opens=java.base/java.io=ALL-UNNAMED",
)


@dataclass(frozen=True)
class ServerStatus:
    running: bool
    pid: int | None
    bolt_uri: str
    http_url: str | None
    home: Path


class Neo4jServer:
    """The bundled Neo4j server described by ``settings`` (home, ports, memory, version)."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.home = settings.neo4j_home.resolve()
        self.conf_dir = self.home / "conf"
        self.logs_dir = self.home / "logs"
        self.run_dir = self.home / "run"
        self.pid_file = self.run_dir / "neo4j.pid"
        self.password_file = self.home / "password"
        self.classpath_file = settings.neo4j_cache_dir.resolve() / f"classpath-{settings.neo4j_version}.txt"

    # ------------------------------------------------------------------ fetch
    def fetch(self) -> Path:
        """Resolve the server's jars with Maven (cached in ~/.m2); return the class-path file."""
        if self.classpath_file.is_file() and self._classpath_complete():
            return self.classpath_file
        mvn = shutil.which("mvn")
        if mvn is None:
            raise Neo4jServerError("Maven (mvn) is not on PATH; it is needed to fetch Neo4j's jars")
        self.classpath_file.parent.mkdir(parents=True, exist_ok=True)
        pom = self.classpath_file.parent / "neo4j-runtime.pom.xml"
        pom.write_bytes(resources.files("graphfraud.store").joinpath("neo4j-runtime.pom.xml").read_bytes())
        tmp = self.classpath_file.with_suffix(f".{os.getpid()}.tmp")
        cmd = [
            mvn,
            "-q",
            "-B",
            "-f",
            str(pom),
            f"-Dneo4j.version={self.settings.neo4j_version}",
            "dependency:build-classpath",
            "-Dmdep.includeScope=runtime",
            f"-Dmdep.outputFile={tmp}",
        ]
        log.info(
            "fetching Neo4j %s jars with Maven (first time: about a minute)", self.settings.neo4j_version
        )
        proc = subprocess.run(cmd, capture_output=True, text=True, check=False)
        if proc.returncode != 0 or not tmp.is_file():
            raise Neo4jServerError(
                f"Maven could not resolve org.neo4j:neo4j:{self.settings.neo4j_version}: "
                f"{(proc.stdout + proc.stderr).strip()[-800:]}"
            )
        tmp.replace(self.classpath_file)
        return self.classpath_file

    def _classpath_complete(self) -> bool:
        entries = self.classpath_file.read_text().strip().split(os.pathsep)
        return bool(entries) and all(Path(e).is_file() for e in entries)

    # ------------------------------------------------------------------ config
    def password(self) -> str:
        """The configured password, else one generated once and kept (mode 600) in the home dir."""
        if self.settings.neo4j_password is not None:
            return self.settings.neo4j_password.get_secret_value()
        if not self.password_file.is_file():
            self.home.mkdir(parents=True, exist_ok=True)
            self.password_file.write_text(secrets.token_urlsafe(18))
            self.password_file.chmod(0o600)
        return self.password_file.read_text().strip()

    def write_config(self) -> Path:
        s = self.settings
        for d in (self.conf_dir, self.logs_dir, self.run_dir, s.data_dir, self.home / "import"):
            d.mkdir(parents=True, exist_ok=True)
        lines = [
            "# Written by graphfraud; edit graphfraud settings (GRAPHFRAUD_NEO4J_*) instead.",
            "server.default_listen_address=127.0.0.1",
            "server.default_advertised_address=127.0.0.1",
            f"server.bolt.advertised_address=127.0.0.1:{s.neo4j_bolt_port}",
            f"server.bolt.listen_address=127.0.0.1:{s.neo4j_bolt_port}",
            "server.bolt.tls_level=DISABLED",
            f"server.http.enabled={'true' if s.neo4j_http_port else 'false'}",
            f"server.http.listen_address=127.0.0.1:{s.neo4j_http_port or 7474}",
            "server.https.enabled=false",
            "dbms.security.auth_enabled=true",
            "dbms.usage_report.enabled=false",
            f"server.memory.heap.initial_size={s.neo4j_heap}",
            f"server.memory.heap.max_size={s.neo4j_heap}",
            f"server.memory.pagecache.size={s.neo4j_pagecache}",
            f"server.directories.data={s.data_dir.resolve()}",
            f"server.directories.logs={self.logs_dir}",
            f"server.directories.import={self.home / 'import'}",
            f"server.directories.run={self.run_dir}",
            "db.tx_log.rotation.retention_policy=1 files",
            # One server has every transaction it ever gave a bookmark for, unless ``ingest --bulk``
            # rebuilt the database since; then waiting (30 s by default) only delays the retry.
            "db.transaction.bookmark_ready_timeout=2s",
        ]
        conf = self.conf_dir / "neo4j.conf"
        conf.write_text("\n".join(lines) + "\n")
        return conf

    # ------------------------------------------------------------------ lifecycle
    def _java(self) -> str:
        java_home = os.environ.get("JAVA_HOME")
        java = str(Path(java_home) / "bin" / "java") if java_home else shutil.which("java")
        if not java or not Path(java).exists():
            raise Neo4jServerError("Java 17+ is needed to run Neo4j and none was found (JAVA_HOME/PATH)")
        return java

    def _env(self) -> dict[str, str]:
        return {**os.environ, "NEO4J_HOME": str(self.home), "NEO4J_CONF": str(self.conf_dir)}

    def admin(self, *args: str) -> None:
        """Run a ``neo4j-admin`` command (e.g. ``dbms set-initial-password``) from the same jars."""
        cp = self.fetch().read_text().strip()
        self.write_config()  # the admin tool reads the same neo4j.conf (data directory, memory)
        proc = subprocess.run(
            [self._java(), "-cp", cp, _ADMIN_TOOL, *args],
            env=self._env(),
            capture_output=True,
            text=True,
            check=False,
        )
        if proc.returncode != 0:
            # One line, without the tool's boilerplate ("WARNING ... store files ...", "Run with --verbose")
            lines = [ln.strip() for ln in proc.stderr.splitlines()]
            detail = " ".join(ln for ln in lines if ln and not ln.startswith(("WARNING", "Run with")))
            # Its first words say what failed ("Missing required parameter"), its last ones often
            # where; both are kept. The importer quotes the values it failed on, which may be
            # phone numbers.
            detail = detail if len(detail) <= 500 else f"{detail[:250]} … {detail[-250:]}"
            raise Neo4jServerError(f"neo4j-admin {args[0]} {args[1]} failed: {redact_text(detail)}")

    def _pid(self) -> int | None:
        """Our server's pid: the pid file's, if that process is our server, else one found in /proc.

        A pid file whose process is not this home's server (it exited, and the pid went to another
        process) is removed, never signalled.
        """
        try:
            pid = int(self.pid_file.read_text().strip())
        except (OSError, ValueError):
            pid = None
        if pid is not None and self._is_ours(pid):
            return pid
        self.pid_file.unlink(missing_ok=True)
        found = next((p for p in _pids() if p != pid and self._is_ours(p, wait=False)), None)
        if found is not None:  # the pid file was lost while the server ran
            self.pid_file.write_text(str(found))
        return found

    def _is_ours(self, pid: int, *, wait: bool = True) -> bool:
        """Whether ``pid`` is a live server of this home (started as ``java @<home>/run/java.args``).

        A process in the middle of ``exec`` shows no command line for a moment: with ``wait``, it is
        read again for up to a second (kernel threads show none ever, so a scan does not wait).
        """
        for _ in range(20 if wait else 1):
            try:
                cmdline = Path(f"/proc/{pid}/cmdline").read_bytes()
            except OSError:
                return False
            if cmdline or not _not_zombie(pid):
                break
            time.sleep(0.05)
        return f"@{self.run_dir / 'java.args'}".encode() in cmdline.split(b"\0") and _not_zombie(pid)

    def _bolt_open(self) -> bool:
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
            sock.settimeout(0.5)
            return sock.connect_ex(("127.0.0.1", self.settings.neo4j_bolt_port)) == 0

    def status(self) -> ServerStatus:
        s = self.settings
        pid = self._pid()
        http = f"http://127.0.0.1:{s.neo4j_http_port}" if s.neo4j_http_port else None
        return ServerStatus(
            running=pid is not None and self._bolt_open(),
            pid=pid,
            bolt_uri=s.bolt_uri,
            http_url=http,
            home=self.home,
        )

    def start(self) -> ServerStatus:
        """Start the server and wait until Bolt answers. A no-op when it is already running."""
        if not self.settings.uses_bundled_neo4j:
            raise Neo4jServerError("NEO4J_URI points at an external server; graphfraud does not start it")
        if self._pid() is not None:
            self._wait_for_bolt(self._pid())
            return self.status()
        if self._bolt_open():
            raise Neo4jServerError(
                f"port {self.settings.neo4j_bolt_port} is already taken by another process; "
                "set GRAPHFRAUD_NEO4J_BOLT_PORT to a free port"
            )
        cp = self.fetch().read_text().strip()
        self.write_config()
        first_start = not (self.settings.data_dir / "databases" / "system").exists()
        if first_start:
            # "--": a password may start with "-" (token_urlsafe draws one in 64), not an option.
            self.admin("dbms", "set-initial-password", "--", self.password())
        argfile = self.run_dir / "java.args"
        argfile.write_text(
            "\n".join(
                [
                    *_JVM_FLAGS,
                    "-cp",
                    cp,
                    _ENTRY_POINT,
                    f"--home-dir={self.home}",
                    f"--config-dir={self.conf_dir}",
                ]
            )
        )
        with (self.logs_dir / "console.log").open("ab") as console:  # the child keeps its own handle
            proc = subprocess.Popen(
                [self._java(), f"@{argfile}"],
                env=self._env(),
                stdout=console,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                start_new_session=True,
                cwd=self.home,
            )
        self.pid_file.write_text(str(proc.pid))
        log.info("starting Neo4j (pid %d) on %s", proc.pid, self.settings.bolt_uri)
        try:
            self._wait_for_bolt(proc.pid)
        except Neo4jServerError:
            self.stop()  # a server that did not come up is not left running
            raise
        return self.status()

    def _wait_for_bolt(self, pid: int | None) -> None:
        deadline = time.monotonic() + self.settings.neo4j_start_timeout_s
        while time.monotonic() < deadline:
            if self._bolt_open():
                return
            if pid is None or self._pid() is None:
                raise Neo4jServerError(f"Neo4j exited during start-up; last log lines:\n{self._log_tail()}")
            time.sleep(0.3)
        raise Neo4jServerError(
            f"Neo4j did not answer on port {self.settings.neo4j_bolt_port} within "
            f"{self.settings.neo4j_start_timeout_s:.0f} s; last log lines:\n{self._log_tail()}"
        )

    def _log_tail(self, lines: int = 15) -> str:
        for name in ("console.log", "neo4j.log"):
            path = self.logs_dir / name
            if path.is_file():
                text = path.read_text(errors="replace").strip().splitlines()
                if text:
                    return "\n".join(text[-lines:])
        return "(no log)"

    def stop(self, timeout_s: float = 60.0) -> bool:
        """Stop the server; return whether one was running. Leaves no process behind."""
        pid = self._pid()
        if pid is None:
            self.pid_file.unlink(missing_ok=True)
            return False
        _signal_group(pid, signal.SIGTERM)
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline and _alive(pid):
            time.sleep(0.2)
        if _alive(pid):
            _signal_group(pid, signal.SIGKILL)
            while _alive(pid):
                time.sleep(0.1)
        self.pid_file.unlink(missing_ok=True)
        return True


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A zombie child of ours still answers kill(0); reap it if it is ours.
    try:
        done, _ = os.waitpid(pid, os.WNOHANG)
        return done == 0
    except ChildProcessError:
        return _not_zombie(pid)


def _not_zombie(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().split()[2] != "Z"
    except OSError:
        return False


def _pids() -> list[int]:
    try:
        return [int(p.name) for p in Path("/proc").iterdir() if p.name.isdigit()]
    except OSError:
        return []


def _signal_group(pid: int, sig: int) -> None:
    """Signal the server's process group (it leads one: ``start_new_session``), else the process alone."""
    try:
        if os.getpgid(pid) == pid:
            os.killpg(pid, sig)
        else:
            os.kill(pid, sig)
    except ProcessLookupError:
        pass
    except PermissionError:
        os.kill(pid, sig)
