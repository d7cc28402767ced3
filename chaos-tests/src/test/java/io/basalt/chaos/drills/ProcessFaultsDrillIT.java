package io.basalt.chaos.drills;

import io.basalt.chaos.cluster.LocalProcessCluster;
import io.basalt.chaos.runner.RunResult;
import io.basalt.chaos.workload.CounterWorkload;
import io.basalt.chaos.workload.ListAppendWorkload;
import io.basalt.chaos.workload.RegisterWorkload;
import io.basalt.chaos.workload.SetWorkload;
import org.junit.jupiter.api.Test;

/**
 * Drills with faults a process on loopback can suffer: crashes, pauses, clock skew, leadership
 * changes and membership changes. Each checks a whole history of a real workload through the
 * gateway for linearizability (registers) or lost and phantom writes (sets, counters, lists).
 */
class ProcessFaultsDrillIT {

    @Test
    void killDrill() throws Exception {
        try (LocalProcessCluster cluster = new LocalProcessCluster(Drills.cluster("kill").build())) {
            RunResult r = Drills.run("kill", cluster, new RegisterWorkload(), "kill-leader,kill-random", Drills.options(),
                getClass(), "killDrill");
            Drills.assertValid(r);
        }
    }

    @Test
    void pauseDrill() throws Exception {
        try (LocalProcessCluster cluster = new LocalProcessCluster(Drills.cluster("pause").build())) {
            RunResult r = Drills.run("pause", cluster, new ListAppendWorkload(), "pause-leader,pause-random",
                Drills.options(), getClass(), "pauseDrill");
            Drills.assertValid(r);
        }
    }

    @Test
    void clockSkewDrill() throws Exception {
        try (LocalProcessCluster cluster = new LocalProcessCluster(Drills.cluster("clock").build())) {
            RunResult r = Drills.run("clock-skew", cluster, new CounterWorkload(), "clock-skew", Drills.options(),
                getClass(), "clockSkewDrill");
            Drills.assertValid(r);
        }
    }

    @Test
    void leadershipAndMembershipDrill() throws Exception {
        try (LocalProcessCluster cluster = new LocalProcessCluster(Drills.cluster("membership").build())) {
            RunResult r = Drills.run("leadership-membership", cluster, new SetWorkload(),
                "transfer-leadership,replace-replica", Drills.options(), getClass(), "leadershipAndMembershipDrill");
            Drills.assertValid(r);
        }
    }
}
