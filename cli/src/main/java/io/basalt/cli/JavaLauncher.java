package io.basalt.cli;

import java.util.ArrayList;
import java.util.List;

/** How to start another Basalt JVM: the same java binary and class path as this one. */
public final class JavaLauncher {
    private JavaLauncher() {}

    /**
     * Netty and protobuf still use sun.misc.Unsafe, and Ratis's Netty loads its native transport;
     * newer JDKs warn about both on every start.
     */
    public static List<String> quietJdkOptions() {
        List<String> options = new ArrayList<>();
        if (Runtime.version().feature() >= 22) {
            options.add("--enable-native-access=ALL-UNNAMED");
        }
        if (Runtime.version().feature() >= 24) {
            options.add("--sun-misc-unsafe-memory-access=allow");
        }
        return options;
    }

    static List<String> javaCommand() {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> command = new ArrayList<>();
        command.add(java);
        command.add("-XX:+UseG1GC");
        command.add("-XX:MaxGCPauseMillis=50");
        command.addAll(quietJdkOptions());
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        return command;
    }
}
