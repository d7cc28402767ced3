package io.basalt.cli.admin;

import io.basalt.cli.admin.RdbChunk.KeyType;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The write commands that recreate one chunk of a key: SET (then APPEND for a string longer
 * than a command may be), RPUSH, SADD, HSET or ZADD. Each command carries at most
 * {@code commandBytesMax} bytes of elements and {@code commandArgsMax} arguments, so none
 * comes near Basalt's 16 MiB limit on a command; an element bigger than that on its own still
 * travels alone (and a collection element over 16 MiB is refused by the gateway, reported as
 * that key's error).
 */
final class CommandBuilder {

    private static final byte[] SET = bytes("SET");
    private static final byte[] APPEND = bytes("APPEND");
    private static final byte[] RPUSH = bytes("RPUSH");
    private static final byte[] SADD = bytes("SADD");
    private static final byte[] HSET = bytes("HSET");
    private static final byte[] ZADD = bytes("ZADD");

    private final int commandBytesMax;
    private final int commandArgsMax;

    CommandBuilder(int commandBytesMax, int commandArgsMax) {
        if (commandBytesMax < 1 || commandArgsMax < 2) {
            throw new IllegalArgumentException("limits too small: " + commandBytesMax + " bytes, " + commandArgsMax + " args");
        }
        this.commandBytesMax = commandBytesMax;
        this.commandArgsMax = commandArgsMax;
    }

    /** The commands for {@code chunk}, in the order they must run. */
    List<byte[][]> commands(RdbChunk chunk) {
        return switch (chunk.type()) {
            case STRING -> stringCommands(chunk.key(), chunk.items().get(0));
            case LIST -> elementCommands(RPUSH, chunk);
            case SET -> elementCommands(SADD, chunk);
            case HASH -> elementCommands(HSET, chunk);
            case ZSET -> elementCommands(ZADD, chunk);
            case UNSUPPORTED -> List.of();
        };
    }

    private List<byte[][]> stringCommands(byte[] key, byte[] value) {
        List<byte[][]> out = new ArrayList<>();
        if (value.length <= commandBytesMax) {
            out.add(new byte[][] {SET, key, value});
            return out;
        }
        // SET the first slice, APPEND the others: each is its own replicated write of bounded size
        out.add(new byte[][] {SET, key, Arrays.copyOfRange(value, 0, commandBytesMax)});
        for (int from = commandBytesMax; from < value.length; from += commandBytesMax) {
            out.add(new byte[][] {APPEND, key, Arrays.copyOfRange(value, from, Math.min(value.length, from + commandBytesMax))});
        }
        return out;
    }

    /** One command name, the key, then whole elements (1 or 2 items each) up to the limits. */
    private List<byte[][]> elementCommands(byte[] name, RdbChunk chunk) {
        int per = chunk.type().itemsPerElement;
        List<byte[]> items = chunk.items();
        List<byte[][]> out = new ArrayList<>();
        List<byte[]> args = new ArrayList<>();
        long bytes = 0;
        for (int i = 0; i < items.size(); i += per) {
            long elementBytes = 0;
            for (int j = 0; j < per; j++) {
                elementBytes += items.get(i + j).length;
            }
            boolean full = args.size() + per > commandArgsMax - 2 || bytes + elementBytes > commandBytesMax;
            if (!args.isEmpty() && full) {
                out.add(command(name, chunk.key(), args));
                args.clear();
                bytes = 0;
            }
            for (int j = 0; j < per; j++) {
                args.add(items.get(i + j));
            }
            bytes += elementBytes;
        }
        if (!args.isEmpty()) {
            out.add(command(name, chunk.key(), args));
        }
        return out;
    }

    private static byte[][] command(byte[] name, byte[] key, List<byte[]> args) {
        byte[][] argv = new byte[args.size() + 2][];
        argv[0] = name;
        argv[1] = key;
        for (int i = 0; i < args.size(); i++) {
            argv[i + 2] = args.get(i);
        }
        return argv;
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
