import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;

/**
 * GET throughput on READONLY connections or plain ones (redis-benchmark cannot send READONLY
 * first). No dependencies: java bench/ReplicaReadBench.java PORT CLIENTS PIPELINE SECONDS readonly|plain
 * Keys bench:0..999 are written first; each client sends PIPELINE GETs, reads the replies, repeats.
 */
public class ReplicaReadBench {

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        int clients = Integer.parseInt(args[1]);
        int pipeline = Integer.parseInt(args[2]);
        long seconds = Long.parseLong(args[3]);
        boolean readonly = args[4].equals("readonly");
        try (Socket s = new Socket("127.0.0.1", port)) {
            OutputStream out = s.getOutputStream();
            InputStream in = new BufferedInputStream(s.getInputStream());
            for (int i = 0; i < 1000; i++) {
                out.write(command("SET", "bench:" + i, "value-" + i));
            }
            out.flush();
            for (int i = 0; i < 1000; i++) {
                readReply(in);
            }
        }
        AtomicLong done = new AtomicLong();
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        Thread[] threads = new Thread[clients];
        for (int t = 0; t < clients; t++) {
            int seed = t;
            threads[t] = new Thread(() -> {
                try (Socket s = new Socket("127.0.0.1", port)) {
                    s.setTcpNoDelay(true);
                    OutputStream out = s.getOutputStream();
                    InputStream in = new BufferedInputStream(s.getInputStream());
                    if (readonly) {
                        out.write(command("READONLY"));
                        out.flush();
                        String r = readReply(in);
                        if (!r.startsWith("+OK")) {
                            throw new IllegalStateException("READONLY: " + r);
                        }
                    }
                    int k = seed * 7919;
                    while (System.nanoTime() < end) {
                        for (int i = 0; i < pipeline; i++) {
                            out.write(command("GET", "bench:" + (k++ % 1000)));
                        }
                        out.flush();
                        for (int i = 0; i < pipeline; i++) {
                            String r = readReply(in);
                            if (r.startsWith("-")) {
                                throw new IllegalStateException(r);
                            }
                        }
                        done.addAndGet(pipeline);
                    }
                } catch (IOException e) {
                    throw new RuntimeException(e);
                }
            });
            threads[t].start();
        }
        long start = System.nanoTime();
        for (Thread t : threads) {
            t.join();
        }
        double secs = (System.nanoTime() - start) / 1e9;
        System.out.printf("%s clients=%d pipeline=%d: %.0f GET/s%n", args[4], clients, pipeline, done.get() / secs);
    }

    static byte[] command(String... argv) {
        StringBuilder b = new StringBuilder("*").append(argv.length).append("\r\n");
        for (String a : argv) {
            b.append('$').append(a.getBytes(StandardCharsets.UTF_8).length).append("\r\n").append(a).append("\r\n");
        }
        return b.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** One reply's first line (a bulk's payload is skipped). */
    static String readReply(InputStream in) throws IOException {
        String line = readLine(in);
        if (line.startsWith("$") && !line.equals("$-1")) {
            int n = Integer.parseInt(line.substring(1));
            in.readNBytes(n + 2);
        }
        return line;
    }

    static String readLine(InputStream in) throws IOException {
        StringBuilder b = new StringBuilder();
        int c;
        while ((c = in.read()) != '\r') {
            if (c < 0) {
                throw new IOException("closed");
            }
            b.append((char) c);
        }
        in.read();
        return b.toString();
    }
}
