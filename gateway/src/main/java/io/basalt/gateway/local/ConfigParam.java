package io.basalt.gateway.local;

import io.basalt.router.text.RedisIntegers;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.LongUnaryOperator;

/**
 * One CONFIG parameter: its name, default and how CONFIG SET validates and normalizes a value,
 * with Redis 7.0's types (integers, memory sizes, enums, yes/no and a few special formats) and
 * Redis's error texts. Values are kept as the text CONFIG GET prints.
 */
abstract class ConfigParam {

    /** The outcome of validating one value: the normalized text, or Redis's reason for refusing it. */
    record Parsed(String value, String error) {
        static Parsed ok(String value) {
            return new Parsed(value, null);
        }

        static Parsed fail(String error) {
            return new Parsed(null, error);
        }
    }

    private final String name;
    private final String defaultValue;
    private final boolean immutable;

    private ConfigParam(String name, String defaultValue, boolean immutable) {
        this.name = name;
        this.defaultValue = defaultValue;
        this.immutable = immutable;
    }

    final String name() { return name; }
    final String defaultValue() { return defaultValue; }
    /** CONFIG SET refuses it with "can't set immutable config". */
    final boolean immutable() { return immutable; }

    /** Validates {@code value}; {@code current} is the value before this SET (some formats update parts). */
    abstract Parsed parse(String value, String current);

    private static String between(String low, String high) {
        return "argument must be between " + low + " and " + high + " inclusive";
    }

    // ---- integers -----------------------------------------------------------------------------

    /** An integer parameter; {@code clamp} adjusts an accepted value as Redis's apply hook does (hz). */
    static ConfigParam integer(String name, long min, long max, long def, LongUnaryOperator clamp) {
        return new ConfigParam(name, Long.toString(def), false) {
            @Override
            Parsed parse(String value, String current) {
                Long v = RedisIntegers.parse(value);
                if (v == null) {
                    return Parsed.fail("argument couldn't be parsed into an integer");
                }
                if (v < min || v > max) {
                    return Parsed.fail(between(Long.toString(min), Long.toString(max)));
                }
                return Parsed.ok(Long.toString(clamp.applyAsLong(v)));
            }
        };
    }

    static ConfigParam integer(String name, long min, long max, long def) {
        return integer(name, min, max, def, LongUnaryOperator.identity());
    }

    /**
     * A byte size: digits with an optional unit (100mb, 1gb, 64kb). Redis parses it as an unsigned
     * 64-bit value and, for the signed parameters, then range-checks it as signed, so an overflow
     * shows up as a range error; {@code unsigned64} is maxmemory's unsigned long long.
     */
    static ConfigParam memory(String name, long min, long max, long def, boolean unsigned64) {
        return new ConfigParam(name, Long.toString(def), false) {
            @Override
            Parsed parse(String value, String current) {
                boolean[] ok = new boolean[1];
                long v = RedisText.parseMemory(value, ok);
                if (!ok[0]) {
                    return Parsed.fail("argument must be a memory value");
                }
                if (unsigned64) {
                    return Parsed.ok(Long.toUnsignedString(v));
                }
                if (v < min || v > max) {
                    return Parsed.fail(between(Long.toString(min), Long.toString(max)));
                }
                return Parsed.ok(Long.toString(v));
            }
        };
    }

    // ---- enums and booleans ------------------------------------------------------------------

    static ConfigParam enumeration(String name, String def, String... values) {
        String error = "argument(s) must be one of the following: " + String.join(", ", values);
        return new ConfigParam(name, def, false) {
            @Override
            Parsed parse(String value, String current) {
                for (String v : values) {
                    if (v.equalsIgnoreCase(value)) {
                        return Parsed.ok(v);
                    }
                }
                return Parsed.fail(error);
            }
        };
    }

    static ConfigParam bool(String name, boolean def) {
        return new ConfigParam(name, def ? "yes" : "no", false) {
            @Override
            Parsed parse(String value, String current) {
                if (value.equalsIgnoreCase("yes")) {
                    return Parsed.ok("yes");
                }
                if (value.equalsIgnoreCase("no")) {
                    return Parsed.ok("no");
                }
                return Parsed.fail("argument must be 'yes' or 'no'");
            }
        };
    }

    /** A value fixed by how the gateway was started or by what Basalt is; CONFIG SET refuses it. */
    static ConfigParam immutable(String name, String value) {
        return new ConfigParam(name, value, true) {
            @Override
            Parsed parse(String v, String current) {
                return Parsed.fail("can't set immutable config");
            }
        };
    }

    // ---- special formats ---------------------------------------------------------------------

    /** {@code save "<seconds> <changes> ..."}: pairs, seconds >= 1, changes >= 0; "" disables. */
    static ConfigParam save(String def) {
        return new ConfigParam("save", def, false) {
            @Override
            Parsed parse(String value, String current) {
                String[] args = splitArgs(value);
                if (args.length % 2 != 0) {
                    return Parsed.fail("Invalid save parameters");
                }
                List<String> out = new ArrayList<>();
                for (int j = 0; j < args.length; j++) {
                    Long v = RedisText.strtollWhole(args[j]);
                    if (v == null || (j % 2 == 0 && v < 1) || (j % 2 == 1 && v < 0)) {
                        return Parsed.fail("Invalid save parameters");
                    }
                    // Redis keeps seconds as time_t and changes as int.
                    out.add(j % 2 == 0 ? Long.toString(v) : Integer.toString((int) (long) v));
                }
                return Parsed.ok(String.join(" ", out));
            }
        };
    }

    private static final String[] BUFFER_CLASSES = {"normal", "slave", "pubsub"};

    /**
     * {@code client-output-buffer-limit "<class> <hard> <soft> <soft-seconds> ..."}: only the
     * classes given change; printed for normal, slave, pubsub in that order, sizes in bytes.
     */
    static ConfigParam clientOutputBufferLimit(String def) {
        return new ConfigParam("client-output-buffer-limit", def, false) {
            @Override
            Parsed parse(String value, String current) {
                String[] args = splitArgs(value);
                if (args.length % 4 != 0) {
                    return Parsed.fail("Wrong number of arguments in buffer limit configuration.");
                }
                String[] cur = current.split(" ");
                String[][] limits = new String[3][];
                for (int c = 0; c < 3; c++) {
                    limits[c] = new String[] {cur[c * 4 + 1], cur[c * 4 + 2], cur[c * 4 + 3]};
                }
                for (int j = 0; j < args.length; j += 4) {
                    int cls = bufferClass(args[j]);
                    if (cls < 0) {
                        return Parsed.fail("Invalid client class specified in buffer limit configuration.");
                    }
                    boolean[] hardOk = new boolean[1];
                    boolean[] softOk = new boolean[1];
                    long hard = RedisText.parseMemory(args[j + 1], hardOk);
                    long soft = RedisText.parseMemory(args[j + 2], softOk);
                    Long seconds = RedisText.strtollWhole(args[j + 3]);
                    // Redis stores the seconds in an int before checking the sign.
                    if (!hardOk[0] || !softOk[0] || seconds == null || (int) (long) seconds < 0) {
                        return Parsed.fail("Error in hard, soft or soft_seconds setting in buffer limit configuration.");
                    }
                    limits[cls] = new String[] {
                        Long.toUnsignedString(hard), Long.toUnsignedString(soft), Integer.toString((int) (long) seconds)};
                }
                StringBuilder b = new StringBuilder();
                for (int c = 0; c < 3; c++) {
                    if (c > 0) {
                        b.append(' ');
                    }
                    b.append(BUFFER_CLASSES[c]).append(' ').append(String.join(" ", limits[c]));
                }
                return Parsed.ok(b.toString());
            }
        };
    }

    private static int bufferClass(String name) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "normal" -> 0;
            case "slave", "replica" -> 1;
            case "pubsub" -> 2;
            default -> -1; // "master" is a client type but has no buffer limit class
        };
    }

    /**
     * {@code notify-keyspace-events}: a set of class characters, printed back in Redis's
     * canonical order ("KEA" reads back as "AKE").
     */
    static ConfigParam keyspaceEvents() {
        return new ConfigParam("notify-keyspace-events", "", false) {
            @Override
            Parsed parse(String value, String current) {
                int flags = 0;
                for (int i = 0; i < value.length(); i++) {
                    int bit = EVENT_CHARS.indexOf(value.charAt(i));
                    if (value.charAt(i) == 'A') {
                        flags |= EVENTS_ALL;
                    } else if (bit < 0) {
                        return Parsed.fail("Invalid event class character. Use 'Ag$lshzxeKEtmdn'.");
                    } else {
                        flags |= 1 << bit;
                    }
                }
                return Parsed.ok(eventsToString(flags));
            }
        };
    }

    /** Event class characters, bit i = character i. */
    private static final String EVENT_CHARS = "KEg$lshzxetmdn";
    /** 'A': every class except key-miss and new-key events, as Redis's NOTIFY_ALL. */
    private static final int EVENTS_ALL = bits("g$lshzxetd");

    private static int bits(String chars) {
        int flags = 0;
        for (char c : chars.toCharArray()) {
            flags |= 1 << EVENT_CHARS.indexOf(c);
        }
        return flags;
    }

    private static String eventsToString(int flags) {
        StringBuilder b = new StringBuilder();
        if ((flags & EVENTS_ALL) == EVENTS_ALL) {
            b.append('A');
        } else {
            for (char c : "g$lshzxetdn".toCharArray()) {
                if ((flags & (1 << EVENT_CHARS.indexOf(c))) != 0) {
                    b.append(c);
                }
            }
        }
        for (char c : "KEm".toCharArray()) {
            if ((flags & (1 << EVENT_CHARS.indexOf(c))) != 0) {
                b.append(c);
            }
        }
        return b.toString();
    }

    /** Redis splits multi-argument values on single spaces, keeping empty pieces; "" is no argument. */
    private static String[] splitArgs(String value) {
        return value.isEmpty() ? new String[0] : value.split(" ", -1);
    }
}
