package io.basalt.cli.admin;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.Function;

/**
 * A loopback server that reads RESP commands, records them (as text, arguments joined by
 * spaces) and answers each with what {@code answer} gives, for testing the import's writer
 * without a cluster.
 */
final class FakeRespServer implements AutoCloseable {

    final List<String> commands = Collections.synchronizedList(new ArrayList<>());
    private final ServerSocket server;
    private final Thread thread;

    FakeRespServer(Function<String, String> answer) throws IOException {
        server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        thread = new Thread(() -> serve(answer), "fake-resp");
        thread.setDaemon(true);
        thread.start();
    }

    int port() {
        return server.getLocalPort();
    }

    private void serve(Function<String, String> answer) {
        try (Socket s = server.accept()) {
            DataInputStream in = new DataInputStream(new BufferedInputStream(s.getInputStream()));
            OutputStream out = s.getOutputStream();
            while (true) {
                String header = line(in);
                if (header == null) {
                    return;
                }
                int n = Integer.parseInt(header.substring(1));
                List<String> args = new ArrayList<>();
                for (int i = 0; i < n; i++) {
                    int len = Integer.parseInt(line(in).substring(1));
                    byte[] arg = new byte[len];
                    in.readFully(arg);
                    in.readFully(new byte[2]);
                    args.add(new String(arg, StandardCharsets.ISO_8859_1));
                }
                String command = String.join(" ", args);
                commands.add(command);
                out.write(answer.apply(command).getBytes(StandardCharsets.ISO_8859_1));
                out.flush();
            }
        } catch (IOException e) {
            // the client closed
        }
    }

    private static String line(InputStream in) throws IOException {
        StringBuilder sb = new StringBuilder();
        int c;
        while ((c = in.read()) != '\r') {
            if (c < 0) {
                return null;
            }
            sb.append((char) c);
        }
        in.read();
        return sb.toString();
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
