package io.basalt.gateway.local;

import io.basalt.gateway.session.ClientRegistry;
import io.basalt.gateway.session.ClientSession;
import io.basalt.router.ErrorReplies;
import io.basalt.router.command.CommandSpec;
import io.basalt.router.command.CommandTable;
import io.basalt.router.reply.RespWriter;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.UnaryOperator;

/**
 * A gateway with fixed clocks and identity, and a miniature connection handler that dispatches
 * command lines to the local commands the way the real one must (spec lookup, subcommand,
 * arity, recordCommand), so tests read like a client session.
 */
final class LocalTestSupport {

    /** An arbitrary fixed wall clock, in microseconds. */
    static final long START_MICROS = 1_795_256_130_123_456L;
    static final String RUN_ID = "0123456789abcdef0123456789abcdef01234567";

    final AtomicLong clockMs = new AtomicLong(START_MICROS / 1000);
    final AtomicLong clockMicros = new AtomicLong(START_MICROS);
    final ClientRegistry registry = new ClientRegistry(clockMs::get);
    final FakeShardStats shardStats = new FakeShardStats();
    final GatewayInfo info;
    final LocalCommands commands;

    LocalTestSupport() {
        this(UnaryOperator.identity());
    }

    LocalTestSupport(UnaryOperator<GatewayInfo.Builder> customize) {
        GatewayInfo.Builder b = GatewayInfo.builder(registry, shardStats)
                .listener(6379, "127.0.0.1")
                .runId(RUN_ID)
                .processId(4242)
                .os("Linux 6.1.0 x86_64", 64)
                .clockMicros(clockMicros::get)
                .startMicros(START_MICROS)
                .cpu(() -> new GatewayInfo.CpuTimes(1_250_000, 30_000));
        this.info = customize.apply(b).build();
        this.commands = new LocalCommands(info);
    }

    /** Advances both clocks. */
    void advanceMs(long ms) {
        clockMs.addAndGet(ms);
        clockMicros.addAndGet(ms * 1000);
    }

    ClientSession connect(int remotePort) {
        return registry.open(new InetSocketAddress("127.0.0.1", remotePort), new InetSocketAddress("127.0.0.1", 6379));
    }

    /** Runs a command line as the connection handler would, and waits for the reply. */
    byte[] run(ClientSession session, String... args) {
        return dispatch(session, argv(args)).join();
    }

    CompletableFuture<byte[]> dispatch(ClientSession session, List<byte[]> argv) {
        CommandTable table = info.commands();
        CommandSpec spec = table.lookup(argv.get(0));
        if (spec == null || spec.has(CommandSpec.Flag.INTERNAL)) {
            throw new AssertionError("not a command: " + text(argv.get(0)));
        }
        if (spec.isContainer() && argv.size() > 1) {
            CommandSpec sub = CommandTable.subcommand(spec, argv.get(1));
            if (sub == null) {
                return CompletableFuture.completedFuture(LocalCommands.unknownSubcommand(argv.get(1), spec));
            }
            spec = sub;
        }
        if (!spec.arityAccepts(argv.size())) {
            return CompletableFuture.completedFuture(new RespWriter().error(ErrorReplies.wrongArity(spec.name())).toByteArray());
        }
        LocalCommand cmd = commands.get(spec);
        if (cmd == null) {
            throw new AssertionError("no local command for " + spec.name());
        }
        session.recordCommand(spec.name(), clockMs.get());
        info.stats().commandProcessed();
        return cmd.execute(session, argv);
    }

    /** The reply as text, for exact comparison with expectations spelled with "\r\n". */
    String runText(ClientSession session, String... args) {
        return text(run(session, args));
    }

    static List<byte[]> argv(String... args) {
        List<byte[]> out = new ArrayList<>();
        for (String a : args) {
            out.add(a.getBytes(StandardCharsets.UTF_8));
        }
        return out;
    }

    static String text(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }

    /** Shard statistics whose next answer the test chooses. */
    static final class FakeShardStats implements ShardStats {
        volatile CompletableFuture<Keyspace> next = CompletableFuture.completedFuture(new Keyspace(0, 0, 0, 0));
        volatile boolean throwOnCall;
        final AtomicLong calls = new AtomicLong();

        @Override
        public CompletableFuture<Keyspace> keyspace() {
            calls.incrementAndGet();
            if (throwOnCall) {
                throw new IllegalStateException("no routing client");
            }
            return next;
        }
    }
}
