package io.basalt.node.server;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;

/**
 * Distinct free loopback ports for in-process Raft groups: all bound at once and then released,
 * so the kernel cannot hand out the same ephemeral port twice. (It did: two replicas on one port,
 * and Ratis exits the JVM when its server cannot bind, taking the whole test fork with it.)
 */
final class FreePorts {

    private FreePorts() {}

    /** A peer list "a=127.0.0.1:p1,b=...,c=..." with distinct free ports. */
    static String peers(String... ids) throws IOException {
        List<ServerSocket> held = new ArrayList<>();
        try {
            StringBuilder peers = new StringBuilder();
            for (String id : ids) {
                ServerSocket s = new ServerSocket();
                held.add(s);
                s.bind(new InetSocketAddress("127.0.0.1", 0));
                peers.append(peers.isEmpty() ? "" : ",").append(id).append("=127.0.0.1:").append(s.getLocalPort());
            }
            return peers.toString();
        } finally {
            for (ServerSocket s : held) {
                s.close();
            }
        }
    }
}
