package io.basalt.gateway.resp;

/** The RESP version a client chose (HELLO); replies are written in it. */
public enum RespProtocol {
    RESP2,
    RESP3;

    /** 2 or 3, as {@code ClientSession.protocol()} holds it. */
    public static RespProtocol of(int version) {
        return switch (version) {
            case 2 -> RESP2;
            case 3 -> RESP3;
            default -> throw new IllegalArgumentException("no such RESP version: " + version);
        };
    }
}
