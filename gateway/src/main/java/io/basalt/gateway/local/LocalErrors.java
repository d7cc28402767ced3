package io.basalt.gateway.local;

/**
 * Error texts only the gateway's own commands give, word for word as Redis 7.0.15 writes them
 * (checked against redis-server). Texts shared with the engine live in
 * {@link io.basalt.router.ErrorReplies}; these could move there once another module needs them.
 */
final class LocalErrors {
    private LocalErrors() {}

    static final String PROTOCOL_VERSION_NOT_INTEGER = "ERR Protocol version is not an integer or out of range";
    static final String HELLO_SYNTAX = "ERR Syntax error in HELLO option '%s'";
    static final String WRONGPASS = "WRONGPASS invalid username-password pair or user is disabled.";
    static final String INT_OUT_OF_RANGE = "ERR value is out of range, value must between -2147483648 and 2147483647";
    static final String BAD_CLIENT_NAME = "ERR Client names cannot contain spaces, newlines or special characters.";
    static final String BAD_CLIENT_ATTR = "ERR %s cannot contain spaces, newlines or special characters.";
    static final String UNRECOGNIZED_OPTION = "ERR Unrecognized option '%s'";
    static final String UNKNOWN_CLIENT_TYPE = "ERR Unknown client type '%s'";
    static final String INVALID_CLIENT_ID = "ERR Invalid client ID";
    static final String INVALID_COMMAND = "ERR Invalid command specified";
    static final String INVALID_ARG_COUNT = "ERR Invalid number of arguments specified for command";
    static final String INVALID_ARGS = "ERR Invalid arguments specified for command";
    static final String NO_KEY_ARGS = "ERR The command has no key arguments";
    static final String CONFIG_UNKNOWN = "ERR Unknown option or number of arguments for CONFIG SET - '%s'";
    static final String CONFIG_FAILED = "ERR CONFIG SET failed (possibly related to argument '%s') - %s";
}
