package io.basalt.chaos.nemesis;

/** One fault in effect, until healed. */
public interface Fault {

    /** What was done, for the log and the report: "killed n2 (leader)". */
    String description();

    /** Undoes the fault: restarts, resumes, heals the network. Idempotent. */
    void heal() throws Exception;
}
