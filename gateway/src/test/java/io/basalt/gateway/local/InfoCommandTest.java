package io.basalt.gateway.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.basalt.gateway.session.ClientSession;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class InfoCommandTest {

    private final LocalTestSupport t = new LocalTestSupport();
    private final ClientSession s = t.connect(50000);

    private static String verbatim(String text) {
        return "=" + (text.length() + 4) + "\r\ntxt:" + text + "\r\n";
    }

    private static final String SERVER = "# Server\r\n"
            + "redis_version:7.0.15\r\n"
            + "basalt_version:0.1.0\r\n"
            + "redis_mode:standalone\r\n"
            + "os:Linux 6.1.0 x86_64\r\n"
            + "arch_bits:64\r\n"
            + "process_id:4242\r\n"
            + "run_id:0123456789abcdef0123456789abcdef01234567\r\n"
            + "tcp_port:6379\r\n"
            + "server_time_usec:1795256220123456\r\n"
            + "uptime_in_seconds:90\r\n"
            + "uptime_in_days:0\r\n"
            + "hz:10\r\n"
            + "configured_hz:10\r\n";

    @Test
    void defaultSectionsInRedisFormatAndOrder() {
        t.connect(50001);
        t.shardStats.next = CompletableFuture.completedFuture(new ShardStats.Keyspace(2, 1, 99950, 1486320));
        t.advanceMs(90_000);
        String expected = SERVER
                + "\r\n# Clients\r\nconnected_clients:2\r\nmaxclients:10000\r\nblocked_clients:0\r\n"
                + "\r\n# Memory\r\nused_memory:1486320\r\nused_memory_human:1.42M\r\nmaxmemory:0\r\nmaxmemory_human:0B\r\n"
                + "maxmemory_policy:noeviction\r\n"
                + "\r\n# Persistence\r\nloading:0\r\nasync_loading:0\r\nrdb_bgsave_in_progress:0\r\naof_enabled:0\r\n"
                + "aof_rewrite_in_progress:0\r\n"
                + "\r\n# Stats\r\ntotal_connections_received:2\r\ntotal_commands_processed:1\r\nrejected_connections:0\r\n"
                + "total_error_replies:0\r\n"
                + "\r\n# Replication\r\nrole:master\r\nconnected_slaves:0\r\n"
                + "\r\n# CPU\r\nused_cpu_sys:0.030000\r\nused_cpu_user:1.250000\r\n"
                + "\r\n# Modules\r\n"
                + "\r\n# Cluster\r\ncluster_enabled:0\r\n"
                + "\r\n# Keyspace\r\ndb0:keys=2,expires=1,avg_ttl=99950\r\n";
        assertEquals(verbatim(expected), t.runText(s, "INFO"));
        String[] sameAsDefault = {"default", "ALL", "everything"};
        for (int i = 0; i < sameAsDefault.length; i++) {
            String counted = expected.replace("total_commands_processed:1", "total_commands_processed:" + (i + 2));
            assertEquals(verbatim(counted), t.runText(s, "INFO", sameAsDefault[i]), sameAsDefault[i]);
        }
    }

    @Test
    void sectionsComeInRedisOrderWhateverTheOrderAsked() {
        t.advanceMs(90_000);
        String expected = SERVER + "\r\n# Clients\r\nconnected_clients:1\r\nmaxclients:10000\r\nblocked_clients:0\r\n";
        assertEquals(verbatim(expected), t.runText(s, "INFO", "clients", "nosuch", "SERVER", "server"));
        assertEquals(0, t.shardStats.calls.get(), "no shard round trip when neither memory nor keyspace is asked");
    }

    @Test
    void unknownSectionsGiveAnEmptyText() {
        assertEquals("=4\r\ntxt:\r\n", t.runText(s, "INFO", "nosuch"));
        assertEquals("=4\r\ntxt:\r\n", t.runText(s, "INFO", "commandstats"));
    }

    @Test
    void emptyKeyspaceHasAHeaderAndNoLine() {
        t.shardStats.next = CompletableFuture.completedFuture(new ShardStats.Keyspace(0, 0, 0, 1024));
        assertEquals("=16\r\ntxt:# Keyspace\r\n\r\n", t.runText(s, "INFO", "keyspace"));
        assertEquals(verbatim("# Memory\r\nused_memory:1024\r\nused_memory_human:1.00K\r\nmaxmemory:0\r\nmaxmemory_human:0B\r\n"
                + "maxmemory_policy:noeviction\r\n"), t.runText(s, "INFO", "memory"));
    }

    @Test
    void memoryFollowsConfig() {
        t.shardStats.next = CompletableFuture.completedFuture(new ShardStats.Keyspace(0, 0, 0, 1152));
        t.runText(s, "CONFIG", "SET", "maxmemory", "100mb", "maxmemory-policy", "allkeys-lru");
        assertEquals(verbatim("# Memory\r\nused_memory:1152\r\nused_memory_human:1.12K\r\nmaxmemory:104857600\r\n"
                + "maxmemory_human:100.00M\r\nmaxmemory_policy:allkeys-lru\r\n"), t.runText(s, "INFO", "MEMORY"));
    }

    @Test
    void maxmemoryBeyondASignedLongIsPrintedAsRedisDoes() {
        t.runText(s, "CONFIG", "SET", "maxmemory", "99999999999999999999");
        t.shardStats.next = CompletableFuture.failedFuture(new IllegalStateException("down"));
        assertEquals(verbatim("# Memory\r\nmaxmemory:-1\r\nmaxmemory_human:18446744073709551615B\r\n"
                + "maxmemory_policy:noeviction\r\n"), t.runText(s, "INFO", "memory"));
    }

    @Test
    void failedShardStatsLeaveOutKeyspaceAndUsedMemory() {
        t.shardStats.next = CompletableFuture.failedFuture(new IllegalStateException("shard 3 unreachable"));
        String expected = "# Memory\r\nmaxmemory:0\r\nmaxmemory_human:0B\r\nmaxmemory_policy:noeviction\r\n"
                + "\r\n# Cluster\r\ncluster_enabled:0\r\n";
        assertEquals(verbatim(expected), t.runText(s, "INFO", "memory", "cluster", "keyspace"));
    }

    @Test
    void shardStatsThrowingIsTreatedAsFailed() {
        t.shardStats.throwOnCall = true;
        assertEquals("=4\r\ntxt:\r\n", t.runText(s, "INFO", "keyspace"));
        assertEquals(1, t.shardStats.calls.get());
    }

    @Test
    void shardStatsThatNeverAnswerTimeOut() {
        LocalTestSupport slow = new LocalTestSupport(b -> b.statsTimeoutMs(1));
        slow.shardStats.next = new CompletableFuture<>();
        ClientSession c = slow.connect(50001);
        CompletableFuture<byte[]> reply = slow.dispatch(c, LocalTestSupport.argv("INFO", "keyspace", "replication"));
        assertEquals(verbatim("# Replication\r\nrole:master\r\nconnected_slaves:0\r\n"), LocalTestSupport.text(reply.join()));
        assertFalse(slow.shardStats.next.isDone(), "the shard stats future is the caller's: not completed by the timeout");
    }

    @Test
    void statsCountAndResetstatZeroes() {
        t.connect(50001);
        t.runText(s, "PING");
        t.info.stats().errorReplied();
        t.info.stats().connectionRejected();
        String before = t.runText(s, "INFO", "stats");
        assertEquals(verbatim("# Stats\r\ntotal_connections_received:2\r\ntotal_commands_processed:2\r\n"
                + "rejected_connections:1\r\ntotal_error_replies:1\r\n"), before);
        assertEquals("+OK\r\n", t.runText(s, "CONFIG", "RESETSTAT"));
        t.connect(50002);
        assertEquals(verbatim("# Stats\r\ntotal_connections_received:1\r\ntotal_commands_processed:1\r\n"
                + "rejected_connections:0\r\ntotal_error_replies:0\r\n"), t.runText(s, "INFO", "stats"));
    }

    @Test
    void cpuLinesAreLeftOutWhenThePlatformDoesNotTell() {
        LocalTestSupport noCpu = new LocalTestSupport(b -> b.cpu(() -> null));
        assertEquals(verbatim("# CPU\r\n"), noCpu.runText(noCpu.connect(50001), "INFO", "cpu"));
    }

    @Test
    void realProcCpuIsReadableOnLinux() {
        GatewayInfo.CpuTimes cpu = GatewayInfo.procSelfCpu();
        if (System.getProperty("os.name").startsWith("Linux")) {
            assertTrue(cpu != null && cpu.userMicros() >= 0 && cpu.systemMicros() >= 0, String.valueOf(cpu));
        }
    }
}
