package io.basalt.gateway.cluster;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * A gateway as cluster-aware clients see it: a "node" at an announced address. Its node id is
 * 40 hex characters derived from that address (SHA-1 of "basalt-gateway host:port"), so every
 * gateway computes the same id for every other one without talking to it, and a restarted
 * gateway keeps its id.
 *
 * @param host the announced host (an IP or a DNS name clients can resolve)
 * @param port the announced RESP port
 */
public record GatewayNode(String host, int port) {

    public GatewayNode {
        if (host == null || host.isEmpty() || host.indexOf(' ') >= 0) {
            throw new IllegalArgumentException("bad gateway host '" + host + "'");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("bad gateway port " + port);
        }
    }

    /** Parses {@code host:port} (IPv6 as {@code [addr]:port}). */
    public static GatewayNode parse(String address) {
        String a = address.trim();
        int colon = a.lastIndexOf(':');
        if (colon <= 0 || colon == a.length() - 1) {
            throw new IllegalArgumentException("'" + address + "' is not of the form host:port");
        }
        String host = a.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        int port;
        try {
            port = Integer.parseInt(a.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + address + "' has no numeric port");
        }
        return new GatewayNode(host, port);
    }

    public String nodeId() {
        return sha1Hex("basalt-gateway " + host + ":" + port);
    }

    static String sha1Hex(String text) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-1").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-1", e);
        }
    }

    @Override
    public String toString() {
        return host + ":" + port;
    }
}
