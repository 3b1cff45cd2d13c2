/*
 * A test cluster of OpenSearch nodes in one JVM (codelibs' OpenSearchRunner,
 * `-numOfNode N`) whose nodes can be stopped and started one at a time.
 *
 * The runner keeps every node in one process, so killing the process stops
 * them all; tests/search/test_cluster.py stops ONE node mid-way through a
 * stream of searches. It writes commands to this program's standard input:
 *
 *   stop N    close node N (1-based) the way a shutdown does
 *   start N   start a stopped node N again, on its old data and ports
 *
 * When standard input closes (the test is done, or pytest died) every node
 * is closed and the JVM exits, so no cluster outlives its test session.
 * Progress goes to the log file named by -Docop.cluster.log: the runner
 * routes System.out into OpenSearch's logging once a node is configured.
 */

import java.io.BufferedReader;
import java.io.FileWriter;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.util.concurrent.TimeUnit;

import org.codelibs.opensearch.runner.OpenSearchRunner;
import org.opensearch.node.Node;

public class OpenSearchCluster {
    public static void main(final String[] args) throws Exception {
        final PrintWriter log = new PrintWriter(new FileWriter(System.getProperty("ocop.cluster.log"), true), true);
        final OpenSearchRunner runner = new OpenSearchRunner();
        try {
            runner.build(args);
        } catch (final RuntimeException e) {
            e.printStackTrace(log);
            System.exit(1);
        }
        log.println("started " + runner.getNodeSize());
        final BufferedReader in = new BufferedReader(new InputStreamReader(System.in));
        String line;
        while ((line = in.readLine()) != null) {
            final String[] words = line.trim().split("\\s+");
            if (words.length != 2) {
                continue;
            }
            final int number = Integer.parseInt(words[1]);
            try {
                if (words[0].equals("stop")) {
                    final Node node = runner.getNode(number - 1);
                    node.close();
                    log.println("stopped " + number + (node.awaitClose(30, TimeUnit.SECONDS) ? "" : " (timed out)"));
                } else if (words[0].equals("start")) {
                    log.println((runner.startNode(number - 1) ? "started node " : "could not start node ") + number);
                }
            } catch (final IOException | RuntimeException e) {
                e.printStackTrace(log);
            }
        }
        runner.close();
        log.println("closed");
        System.exit(0);
    }
}
