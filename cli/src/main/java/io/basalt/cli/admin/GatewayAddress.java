package io.basalt.cli.admin;

/** A {@code --gateway host:port} option, checked. */
record GatewayAddress(String host, int port) {

    /** The address, or null after printing why it is not one. */
    static GatewayAddress parse(String command, String text) {
        int colon = text.lastIndexOf(':');
        int port;
        try {
            port = Integer.parseInt(text.substring(colon + 1));
        } catch (NumberFormatException | IndexOutOfBoundsException e) {
            port = -1;
        }
        if (colon <= 0 || port < 1 || port > 65535) {
            System.err.println("basalt admin " + command + ": --gateway must be host:port, got " + text);
            return null;
        }
        return new GatewayAddress(text.substring(0, colon), port);
    }
}
