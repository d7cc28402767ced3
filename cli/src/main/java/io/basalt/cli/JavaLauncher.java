package io.basalt.cli;

import java.util.ArrayList;
import java.util.List;

/** How to start another Basalt JVM: the same java binary and class path as this one. */
final class JavaLauncher {
    private JavaLauncher() {}

    static List<String> javaCommand() {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> command = new ArrayList<>();
        command.add(java);
        command.add("-XX:+UseG1GC");
        command.add("-XX:MaxGCPauseMillis=50");
        if (Runtime.version().feature() >= 24) {
            // Netty and protobuf still use sun.misc.Unsafe; silence the JDK 24+ warning.
            command.add("--sun-misc-unsafe-memory-access=allow");
        }
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        return command;
    }
}
